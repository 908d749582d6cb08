import type { Route } from '../../routes.js';
import { OrgDetail } from './OrgDetail.js';
import { OrgList } from './OrgList.js';

export const routes: Route[] = [
  { pattern: '/orgs', page: OrgList },
  { pattern: '/orgs/:id', page: OrgDetail },
];
