import type { Route } from '../../routes.js';
import { EditPostAction, NewPostAction } from './PostActionBuilder.js';
import { PostActionDetail } from './PostActionDetail.js';
import { PostActions } from './PostActions.js';

export const routes: Route[] = [
  { pattern: '/post-actions', page: PostActions },
  // Before /post-actions/:id, so "new" is never taken for an id.
  { pattern: '/post-actions/new', page: NewPostAction },
  { pattern: '/post-actions/:id', page: PostActionDetail },
  { pattern: '/post-actions/:id/edit', page: EditPostAction },
];
