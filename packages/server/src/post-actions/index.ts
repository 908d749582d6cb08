export {
  type BindingInput,
  type BindingUpdate,
  type BindingView,
  type FireWhen,
  PostActionAdmin,
  type PostActionAdminOptions,
  type PostActionInput,
  type PostActionUpdate,
  type PostActionView,
} from './admin.js';
export {
  AUTH_TYPES,
  type AuthInput,
  type AuthSecret,
  checkHeaderName,
  FIRE_WHEN,
  METHODS,
  type Range,
  RETRY_COUNT,
  TIMEOUT_SECONDS,
  TRIGGER_TYPES,
} from './validate.js';
export { type Preview, type PreviewInput, type PreviewProblem, PostActionPreviewer, SAMPLE_VARIABLES } from './preview.js';
