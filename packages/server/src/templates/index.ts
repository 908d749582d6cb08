export { TemplateError } from './errors.js';
export { DEFAULT_LIMITS, type TemplateLimits } from './limits.js';
export { compileTemplate, renderHeaderValue, renderTemplate, renderUrl, type CompileOptions, type CompiledTemplate, type TemplateMode } from './template.js';
export { NOTIFICATION_VARIABLES, POST_ACTION_VARIABLES, type TemplateVariable } from './variables.js';
export { FILTERS } from './filters.js';
