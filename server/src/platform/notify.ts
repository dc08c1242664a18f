import { appendFile } from 'node:fs/promises';
import { maskPhone } from '@civicgrid/core';
import type { FastifyBaseLogger } from 'fastify';
import type { EventBus } from './bus.js';

/**
 * An in-app notification as it is published: plain data, so the platform needs no module's
 * tables (the module that writes notifications hands over its rows).
 */
export interface NotificationMessage {
  id: number;
  userId: string;
  kind: string;
  title: string;
  body: string | null;
  caseId: string | null;
  /** What it is about (a case or an application) and the page its recipient's surface opens. */
  subjectType: 'case' | 'application' | null;
  subjectId: string | null;
  link: string | null;
  createdAt: Date;
}

/** Publishes notifications written in a transaction, after its commit, to their users' streams. */
export function publishNotifications(bus: EventBus, rows: readonly NotificationMessage[]): void {
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
        subjectType: r.subjectType,
        subjectId: r.subjectId,
        link: r.link,
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

/**
 * The sender, with a file outbox beside it when SMS_OUTBOX is set (development and tests:
 * one JSON line per text, the number masked), so a sign-in code can be read without a gateway.
 */
export function withSmsOutbox(sender: SmsSender, outbox: string | undefined): SmsSender {
  if (!outbox) return sender;
  return {
    send: async (phone, text) => {
      await sender.send(phone, text);
      await appendFile(outbox, `${JSON.stringify({ to: maskPhone(phone), text })}\n`, { mode: 0o600 });
    },
  };
}

/** One text to send: `ref` names what it is about (a case number) for the log, never the person. */
export interface SmsMessage {
  phone: string;
  text: string;
  ref: string;
}

const smsCounts = { sent: 0, failed: 0 };

/** Texts sent and failed since this process started, for the health and overview pages. */
export function smsStats(): { sent: number; failed: number } {
  return { ...smsCounts };
}

/**
 * Sends each text after the change it reports has committed. A failed send does not undo the
 * change and does not stop the other texts: it is logged (the reference and the provider's
 * error, not the number or the text, which are personal data) and counted.
 */
export async function deliverSms(
  sender: SmsSender,
  log: Pick<FastifyBaseLogger, 'warn'>,
  messages: readonly SmsMessage[],
): Promise<void> {
  for (const m of messages) {
    try {
      await sender.send(m.phone, m.text);
      smsCounts.sent++;
    } catch (e) {
      smsCounts.failed++;
      log.warn({ sms: { ref: m.ref }, err: e instanceof Error ? e.message : String(e) }, 'sms failed');
    }
  }
}
