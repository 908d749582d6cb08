export { SecretBox, keyIdFor, parseMasterKey, type MasterKey } from './secret-box.js';
export { loadMasterKeys, type LoadMasterKeysOptions } from './master-key.js';
export { generateApiKey, hashApiKey, looksLikeApiKey, type GeneratedApiKey } from './api-keys.js';
export { generateWebhookSecret, isStandardWebhookSecret, standardSecretKey, WEBHOOK_SECRET_PREFIX } from './webhook-secrets.js';
export {
  NEXT_SIGNATURE_HEADER,
  safeEqual,
  SIGNING_SCHEMES,
  signatureHeaders,
  verifySignature,
  type SignInput,
  type SigningScheme,
  type VerifyInput,
} from './signing.js';
