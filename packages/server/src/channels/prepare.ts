import { type PrepareDeliveries, type PreparedDelivery } from '../delivery/index.js';
import type { Store } from '../store/index.js';
import type { NotificationSettings } from './notification-settings.js';
import { EndpointChannel, type Opener } from './endpoint.js';
import { NotificationChannels } from './notifications.js';

/** The dispatcher's one view of every channel: endpoint rows and notification rows, prepared in one call. */
export function channelPreparer(o: { store: Store; open: Opener; openFresh: Opener; settings: NotificationSettings }): PrepareDeliveries {
  const endpoints = new EndpointChannel(o.store, o.open);
  const notifications = new NotificationChannels(o);
  return async (rows, now, known) => {
    const own = rows.filter((r) => (r.channel ?? 'endpoint') === 'endpoint');
    const others = rows.filter((r) => (r.channel ?? 'endpoint') !== 'endpoint');
    const parts = await Promise.all([own.length ? endpoints.prepare(own, now, known) : new Map<string, PreparedDelivery | string>(), others.length ? notifications.prepare(others) : new Map<string, PreparedDelivery | string>()]);
    return new Map([...parts[0], ...parts[1]]);
  };
}
