import type { Route } from '../../routes.js';

export const routes: Route[] = [];
