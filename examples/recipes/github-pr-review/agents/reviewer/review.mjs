#!/usr/bin/env node
// A stand-in reviewer: reads the prompt Hookline writes to standard input, finds the pull
// request in it, and prints a short review. Swap it for a real model in AGENT.md.
let prompt = '';
process.stdin
  .setEncoding('utf8')
  .on('data', (c) => (prompt += c))
  .on('end', () => {
    // Hookline's message has one line "Data: <the webhook payload as JSON>".
    const data = /^Data: (.*)$/m.exec(prompt)?.[1];
    const pr = data ? JSON.parse(data).pull_request : undefined;
    if (!pr) {
      console.error('no pull request in the payload');
      process.exit(1);
    }
    const size = `+${pr.additions ?? 0}/-${pr.deletions ?? 0} in ${pr.changed_files ?? '?'} files`;
    const risky = (pr.title ?? '').match(/migration|drop|delete|auth/i);
    console.log(`Review of #${pr.number} "${pr.title}" by ${pr.user?.login ?? 'someone'} (${size}):`);
    console.log(risky ? `Touches "${risky[0]}": check the rollback plan before merging.` : 'LGTM: nothing risky stands out.');
    console.log(pr.html_url ?? '');
  });
