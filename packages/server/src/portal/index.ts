// The surface of portal/: what the customer portal shows beyond the endpoint routes (docs/portal.md).
export { eventCatalog } from './catalog.js';
