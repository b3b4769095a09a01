import { custom, int, object, type Infer, type Schema } from './schema.js';
import { idSchema, tokenSchema } from './tokens.js';

/** Params schema of every notification the agent pushes; the client drops a notification that fails it. */
export const notificationSchemas = {
  'token.added': object({ token: tokenSchema }),
  'token.removed': object({ tokenId: idSchema }),
  'token.changed': object({ token: tokenSchema }),
  /**
   * How far a long request has come (`sign.batch`), sent only on the connection that asked, at most every 100 ms
   * and once at the end: `id` is the request's id, `done` of `total` items are finished (signed or failed).
   */
  'sign.progress': object({
    id: custom<number | string>((v, p) => (typeof v === 'string' || Number.isInteger(v) ? undefined : `${p} must be a request id`)),
    done: int,
    total: int,
  }),
} satisfies Record<string, Schema<unknown>>;

/** A notification name of protocol v1. */
export type NotificationName = keyof typeof notificationSchemas;
/** Notifications the agent pushes to every connection from an allowed origin, with their params. */
export type NotificationMap = { [N in NotificationName]: Infer<(typeof notificationSchemas)[N]> };

/** True when `name` is a notification of protocol v1. */
export function isNotificationName(name: string): name is NotificationName {
  return Object.prototype.hasOwnProperty.call(notificationSchemas, name);
}

/** Checks a notification's params; returns a message naming the first problem, or undefined. */
export function checkNotification(name: NotificationName, params: unknown): string | undefined {
  return notificationSchemas[name](params, 'params');
}
