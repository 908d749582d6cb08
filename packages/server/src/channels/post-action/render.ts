import type { FrozenRequest, PostActionBindingRecord, PostActionRecord } from '../../store/index.js';
import { type Compile, type Opener, USER_AGENT } from '../channel.js';

/** A post-action's URL, header values and body rendered; auth is added at send time from the sealed credentials. */
export function postActionRequest(a: PostActionRecord, b: PostActionBindingRecord, ctx: object, o: { compile: Compile; open: Opener }): FrozenRequest {
  const url = o.compile(a.url_template, 'url').render(ctx);
  const headers: Record<string, string> = { 'user-agent': USER_AGENT };
  const own = a.headers_enc ? (JSON.parse(o.open(a.headers_enc)) as Record<string, string>) : {};
  for (const [name, value] of Object.entries(own)) headers[name.toLowerCase()] = o.compile(value, 'header').render(ctx);
  const bodyTemplate = b.body_override ?? a.body_template;
  const body = bodyTemplate && a.method !== 'GET' ? o.compile(bodyTemplate, 'auto') : undefined;
  if (body && !('content-type' in headers)) headers['content-type'] = body.mode === 'json' ? 'application/json' : 'text/plain; charset=utf-8';
  return { method: a.method, url, headers, body: body ? body.render(ctx) : '', timeout_ms: a.timeout_ms };
}
