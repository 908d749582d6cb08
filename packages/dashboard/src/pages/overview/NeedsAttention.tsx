// Failing endpoints and post-actions first: what needs a person now. Healthy ones are counted,
// not listed, so the card stays short.
import { StatusBadge } from '../../components/StatusBadge.js';
import { Time } from '../../components/Time.js';
import { href, Link } from '../../router.js';
import type { EndpointHealth, PostActionHealth } from './types.js';

function rate(r: number | null): string {
  return r === null ? '—' : `${(r * 100).toFixed(r === 1 || r === 0 ? 0 : 1)}%`;
}

const endpointFailing = (e: EndpointHealth) => !e.enabled || e.consecutive_failures > 0 || e.failed > 0;
const postActionFailing = (p: PostActionHealth) => p.failed > 0;

export function NeedsAttention({ endpoints, postActions }: { endpoints: EndpointHealth[]; postActions: PostActionHealth[] }) {
  const badEndpoints = endpoints.filter(endpointFailing);
  const badPostActions = postActions.filter(postActionFailing);
  const healthy = endpoints.length - badEndpoints.length + postActions.length - badPostActions.length;
  return (
    <section className="card card-wide" data-testid="overview-attention" aria-labelledby="attention-title">
      <h2 id="attention-title">Needs attention</h2>
      {badEndpoints.length + badPostActions.length === 0 ? (
        <p className="muted" data-testid="attention-none">
          {endpoints.length + postActions.length === 0
            ? 'No endpoints or post-actions yet.'
            : `All ${healthy} endpoints and post-actions delivered everything in this window.`}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table table-cards">
            <caption className="visually-hidden">Failing endpoints and post-actions, worst first</caption>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Name</th>
                <th scope="col">State</th>
                <th scope="col" className="num">
                  Success
                </th>
                <th scope="col" className="num">
                  Failed
                </th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {badEndpoints.map((e) => (
                <tr key={`e-${e.id}`} data-testid="attention-row" data-kind="endpoint" data-id={e.id}>
                  <td data-label="Kind">Endpoint</td>
                  <td data-label="Name" className="wrap">
                    <Link href={href('/endpoints', e.id)} className="mono">
                      {e.url}
                    </Link>
                  </td>
                  <td data-label="State">
                    <StatusBadge status={e.enabled ? 'enabled' : 'disabled'} />
                  </td>
                  <td data-label="Success" className="num">
                    {rate(e.success_rate)}
                  </td>
                  <td data-label="Failed" className="num">
                    {e.failed}
                  </td>
                  <td data-label="Why" className="wrap">
                    {e.disabled_reason ??
                      (e.consecutive_failures > 0
                        ? `${e.consecutive_failures} ${e.consecutive_failures === 1 ? 'failure' : 'failures'} in a row`
                        : 'some deliveries failed')}
                  </td>
                </tr>
              ))}
              {badPostActions.map((p) => (
                <tr key={`p-${p.id}`} data-testid="attention-row" data-kind="post_action" data-id={p.id}>
                  <td data-label="Kind">Post-action</td>
                  <td data-label="Name" className="wrap">
                    <Link href={href('/post-actions', p.id)}>{p.name}</Link>
                  </td>
                  <td data-label="State">
                    <StatusBadge status={p.enabled ? 'enabled' : 'disabled'} />
                  </td>
                  <td data-label="Success" className="num">
                    {rate(p.success_rate)}
                  </td>
                  <td data-label="Failed" className="num">
                    {p.failed}
                  </td>
                  <td data-label="Why" className="wrap">
                    {p.last_error ?? '—'}{' '}
                    {p.last_failed_at && (
                      <span className="sub">
                        (<Time iso={p.last_failed_at} />)
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
