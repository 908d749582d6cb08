// Post-actions (docs/post-actions.md): rendered when the run ends, sent with the post-action's current credentials.
// Their administration (validation, bindings, preview) lives in post-actions/.
export type { AuthSecret } from './auth.js';
export { PostActionChannel } from './prepare.js';
export { postActionRequest } from './render.js';
