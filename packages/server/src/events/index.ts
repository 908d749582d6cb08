export {
  BUILTIN_EVENT_TYPES,
  type BuiltinEventType,
  checkPattern,
  checkPublishableType,
  checkTypeName,
  matchesBuiltin,
  patternMatches,
  patternsMatching,
  type SubscriptionWarning,
  unknownTypeWarnings,
} from './catalog.js';
export { Publisher, type Envelope, type PublishInput, type PublishResult, type PublisherOptions } from './publisher.js';
