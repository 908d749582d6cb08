import type { HooklineConfig } from '../config/index.js';
import { SsrfGuard } from '../net/index.js';
import { UserError } from '../errors/index.js';
import { checkRunnerSettings } from './runner-config.js';

const AT = 'agents.default_runner';

/**
 * `agents.default_runner` checked as an AGENT.md's runner is (the same messages, in validateConfig's
 * `option "key": …` form), URLs against the SSRF guard of `delivery.allow_networks`. An openai
 * runner may leave `model` to its agents, which are checked again as they load. No message
 * repeats a secret value (env, header values, api_key).
 */
export function defaultRunnerProblems(config: HooklineConfig): string[] {
  const chosen = config.agents.default_runner;
  if (!chosen) return [];
  try {
    checkRunnerSettings(chosen.runner, chosen.runner_config, { guard: guardFor(config), agentModel: undefined });
    return [];
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    // "runner_config.url: …" becomes `option "agents.default_runner.runner_config.url": …`.
    const field = /^(runner_config[^\s:]*):? (.*)$/s.exec(err.message);
    return [field ? `option "${AT}.${field[1]}": ${field[2]}` : `option "${AT}.runner_config": ${err.message}`];
  }
}

/** None when the allow list itself is unusable: the start stops on that, and a blocked URL here would only mislead. */
function guardFor(config: HooklineConfig): SsrfGuard | undefined {
  try {
    return new SsrfGuard({ allowNetworks: config.delivery.allow_networks });
  } catch {
    return undefined;
  }
}
