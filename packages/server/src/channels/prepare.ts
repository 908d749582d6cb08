import { type PrepareDeliveries, type PreparedDelivery } from '../delivery/index.js';
import type { DeliveryChannel, Store } from '../store/index.js';
import type { Channel, Opener } from './channel.js';
import type { NotificationSettings } from './notification-settings.js';
import { CallbackChannel } from './callback/index.js';
import { EndpointChannel } from './endpoint/index.js';
import { NamedWebhookChannel } from './named-webhook/index.js';
import { PostActionChannel } from './post-action/index.js';
import { SlackChannel } from './slack/index.js';

/** The dispatcher's one view of every channel: a claim's rows, each prepared by its own channel, in one call. */
export function channelPreparer(o: { store: Store; open: Opener; openFresh: Opener; settings: NotificationSettings }): PrepareDeliveries {
  const channels: Record<DeliveryChannel, Channel> = {
    endpoint: new EndpointChannel(o.store, o.open),
    post_action: new PostActionChannel(o.store, o.open, o.openFresh),
    callback: new CallbackChannel(o.store, o.open, o.openFresh),
    slack: new SlackChannel(() => o.settings.slack, o.openFresh),
    webhook: new NamedWebhookChannel(() => o.settings.webhooks, o.openFresh),
  };
  return async (rows, now, known) => {
    const byChannel = new Map<string, typeof rows>();
    for (const row of rows) {
      const channel = row.channel ?? 'endpoint';
      const own = byChannel.get(channel);
      if (own) own.push(row);
      else byChannel.set(channel, [row]);
    }
    const parts = await Promise.all(
      [...byChannel].map(([channel, own]) => {
        const prepared = Object.hasOwn(channels, channel) ? channels[channel as DeliveryChannel] : undefined;
        return prepared ? prepared.prepare(own, now, known) : new Map<string, PreparedDelivery | string>(own.map((r) => [r.id, `unknown_channel: ${channel}`]));
      }),
    );
    return new Map(parts.flatMap((part) => [...part]));
  };
}
