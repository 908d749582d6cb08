export {
  StreamHub,
  MAX_DATA_BYTES,
  LISTENERS_TTL_MS,
  type DropReason,
  type StreamBridge,
  type StreamListening,
  type StreamEmitter,
  type StreamHubOptions,
  type StreamMessage,
} from './hub.js';
export { fitJson, TRUNCATION_MARKER } from './fit.js';
export {
  STREAM_TOPICS,
  checkEventTypePatterns,
  checkTopicPattern,
  compileFilter,
  filterMatches,
  type StreamFilter,
  type StreamScope,
  type StreamTopic,
} from './topics.js';
