import { maskPhone } from '@civicgrid/core';
import type { FastifyBaseLogger } from 'fastify';
import { notifications } from '../modules/cases/tables.js';
import type { EventBus } from './bus.js';
import type { Db } from './db.js';

export interface NotificationInput {
  kind: string;
  title: string;
  body?: string | null;
  caseId?: string | null;
}

type NotificationRow = typeof notifications.$inferSelect;

/** Writes in-app notifications in the caller's transaction; returns them for publishing after commit. */
export async function notifyUsers(
  tx: Db,
  userIds: Iterable<string>,
  n: NotificationInput,
): Promise<NotificationRow[]> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return [];
  return tx
    .insert(notifications)
    .values(
      ids.map((userId) => ({
        userId,
        kind: n.kind,
        title: n.title,
        body: n.body ?? null,
        caseId: n.caseId ?? null,
      })),
    )
    .returning();
}

export function publishNotifications(bus: EventBus, rows: NotificationRow[]): void {
  for (const r of rows)
    bus.publish({
      type: 'notification',
      userId: r.userId,
      notification: {
        id: r.id,
        kind: r.kind,
        title: r.title,
        body: r.body,
        caseId: r.caseId,
        createdAt: r.createdAt.toISOString(),
        readAt: null,
      },
    });
}

/** Text messages to residents. A real provider plugs in here; the default writes to the log. */
export interface SmsSender {
  send(phone: string, text: string): Promise<void>;
}

export function logSmsSender(log: FastifyBaseLogger): SmsSender {
  return {
    // The number is masked: personal data never reaches the logs.
    send: async (phone, text) => log.info({ sms: { to: maskPhone(phone), text } }, 'sms sent'),
  };
}
