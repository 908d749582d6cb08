import type { Route } from '../../routes.js';
import { RunDetail } from './RunDetail.js';
import { RunsList } from './RunsList.js';

export const routes: Route[] = [
  { pattern: '/runs', page: RunsList },
  { pattern: '/runs/:id', page: RunDetail },
];
