// The surface of agents/: what the rest of the server may import from it.
export { AgentAdmin } from './admin.js';
export { AgentFileError, agentSettings, parseAgentFile } from './agent-file.js';
export { AgentFiles, type AgentFilesReport } from './agent-files.js';
export { CallbackAdmin } from './callback.js';
export { defaultRunnerProblems } from './default-runner-checks.js';
export { RUNNER_SETTINGS, type RunnerKind, RUNNERS, type RunnerSettings } from './runner-config.js';
export { type Runner, type RunOutcome } from './runner.js';
export { CommandRunner } from './runners/command.js';
export { type OutboundNet } from './runners/http-call.js';
export { HttpRunner } from './runners/http.js';
export { OpenAIRunner } from './runners/openai.js';
