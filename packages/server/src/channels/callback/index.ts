// An agent's callback (docs/callbacks.md): its payload rendered when the run ends, signed at send time with
// the agent's current callback secret. The callback's settings are checked in agents/.
export { callbackPayload } from './payload.js';
export { CallbackChannel } from './prepare.js';
export { callbackRequest } from './render.js';
