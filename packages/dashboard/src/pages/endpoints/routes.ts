import type { Route } from '../../routes.js';
import { DeliveryView } from './DeliveryView.js';
import { EndpointDetail } from './EndpointDetail.js';
import { EndpointList } from './EndpointList.js';
import { EndpointNew } from './EndpointNew.js';

// `/endpoints/new` before `/endpoints/:id`: the first match wins.
export const routes: Route[] = [
  { pattern: '/endpoints', page: EndpointList },
  { pattern: '/endpoints/new', page: EndpointNew },
  { pattern: '/endpoints/:id', page: EndpointDetail },
  { pattern: '/endpoints/:id/deliveries/:delivery', page: DeliveryView },
];
