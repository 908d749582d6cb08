// The surface of endpoints/: endpoint administration: validation, secrets, rotation,
// enabling, test events and replay. Sending to an endpoint is channels/endpoint/'s.
export { EndpointAdmin, type EndpointAdminOptions, type EndpointInput, type EndpointView, type SavedEndpoint } from './admin.js';
