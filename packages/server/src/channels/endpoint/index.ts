// The endpoint channel: a delivery is the event's frozen envelope, signed at send time
// with the endpoint's current secrets. Endpoint administration lives in endpoints/.
export { EndpointChannel, endpointRequest, type EndpointTarget } from './prepare.js';
