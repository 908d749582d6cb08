import { Type } from '@sinclair/typebox';
import { ErrorBody } from './common.js';

export const Liveness = Type.Object({ status: Type.Literal('ok') });
export const Ready = Type.Object({ status: Type.Literal('ready') });
export const NotReady = Type.Intersect([Type.Object({ status: Type.Literal('unavailable') }), ErrorBody]);
