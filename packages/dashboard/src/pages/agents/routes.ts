import type { Route } from '../../routes.js';
import { AgentDetail } from './AgentDetail.js';
import { AgentsList } from './AgentsList.js';

export const routes: Route[] = [
  { pattern: '/agents', page: AgentsList },
  { pattern: '/agents/:id', page: AgentDetail },
];
