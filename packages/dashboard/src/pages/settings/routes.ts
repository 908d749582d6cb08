import type { Route } from '../../routes.js';
import { Settings } from './Settings.js';

export const routes: Route[] = [{ pattern: '/settings', page: Settings }];
