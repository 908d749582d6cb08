import { Type } from '@sinclair/typebox';
import { Nullable, OneOf } from './common.js';
import { CHANNELS, DELIVERY_STATUSES } from './vocabulary.js';

export const Notification = Type.Object(
  {
    id: Type.String(),
    execution_id: Type.String({ description: 'The run that caused it.' }),
    agent_id: Type.String(),
    event_type: Type.String({ description: 'on_complete, on_error or on_timeout.' }),
    channel: OneOf(CHANNELS, { description: CHANNELS.join(' | ') }),
    target: Type.String({ description: 'Slack channel, webhook name, post-action name, callback URL or endpoint id.' }),
    status: OneOf(DELIVERY_STATUSES, { description: 'pending | delivered | failed' }),
    attempts: Type.Integer(),
    last_error: Nullable(Type.String()),
    created_at: Type.String(),
    delivered_at: Nullable(Type.String()),
  },
  { description: 'One record of the notification log.' },
);
