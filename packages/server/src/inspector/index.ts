export {
  type BinInput,
  type BinUpdate,
  type BinView,
  type CapturedRequestSummary,
  type CapturedRequestView,
  Inspector,
  type InspectorOptions,
  type InspectorSettings,
} from './inspector.js';
export { type IncomingRequest } from './capture.js';
export { BIN_SCHEMES, type BinScheme, checkSignature, detectScheme, type SignatureCheck, TIMESTAMP_TOLERANCE_SEC } from './signature.js';
