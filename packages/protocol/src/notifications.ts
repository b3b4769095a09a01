import { object, type Infer, type Schema } from './schema.js';
import { idSchema, tokenSchema } from './tokens.js';

/** Params schema of every notification the agent pushes; the client drops a notification that fails it. */
export const notificationSchemas = {
  'token.added': object({ token: tokenSchema }),
  'token.removed': object({ tokenId: idSchema }),
  'token.changed': object({ token: tokenSchema }),
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
