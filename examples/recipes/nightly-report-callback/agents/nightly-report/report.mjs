#!/usr/bin/env node
// A stand-in report agent. Hookline passes who started the run in the environment
// (HOOKLINE_TRIGGER_TYPE "schedule", HOOKLINE_TRIGGER_NAME the schedule's name) and the
// prompt on standard input. The last line reports usage, which Hookline puts in the run,
// its callback and its events (and removes from the output).
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
process.stdin.resume().on('end', () => {
  console.log(`Sales report for ${yesterday} (${process.env.HOOKLINE_TRIGGER_TYPE}: ${process.env.HOOKLINE_TRIGGER_NAME})`);
  console.log('Revenue: $12,450 (+4% on the day before)');
  console.log('Orders: 318; top product: Trail Runner 2 (41 sold)');
  console.log('Unusual: refunds doubled in the EU store; worth a look.');
  console.log(JSON.stringify({ hookline_usage: { iterations_used: 3, tool_calls: 2, tokens_used: 1250 } }));
});
