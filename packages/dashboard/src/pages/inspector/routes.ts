import type { Route } from '../../routes.js';
import { BinDetail } from './BinDetail.js';
import { BinList } from './BinList.js';

export const routes: Route[] = [
  { pattern: '/inspector', page: BinList },
  { pattern: '/inspector/:bin', page: BinDetail },
];
