export { ERRORS, type ErrorEntry, type ErrorName, type WireCode, wireCode } from './catalogue.js';
export { notFound, UserError } from './user-error.js';
