import { EventEmitter } from 'node:events';
import pg from 'pg';

/** What moves between parts of the platform (and between server processes). */
export type BusEvent =
  | { type: 'notification'; userId: string; notification: Record<string, unknown> }
  | { type: 'case'; id: string; code: string; status: string; orgPath: string; departmentIds: number[] };

export interface EventBus {
  publish(event: BusEvent): void;
  subscribe(listener: (event: BusEvent) => void): () => void;
  close(): Promise<void>;
}

const channel = 'civicgrid_events';

/**
 * In one process an EventEmitter is enough. With a shared PostgreSQL several server
 * processes run behind a balancer (DESIGN.md §2), so events go through LISTEN/NOTIFY and
 * every process — this one included — hears each event once.
 */
export async function createEventBus(databaseUrl?: string): Promise<EventBus> {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let client: pg.Client | null = null;
  if (databaseUrl) {
    client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    client.on('notification', (msg) => {
      if (msg.channel !== channel || !msg.payload) return;
      try {
        emitter.emit('event', JSON.parse(msg.payload) as BusEvent);
      } catch {}
    });
    // A dropped listener connection must not take the server down; events then stay local.
    client.on('error', () => {
      client = null;
    });
    await client.query(`listen ${channel}`);
  }
  return {
    publish(event) {
      const payload = JSON.stringify(event);
      // NOTIFY payloads are limited to 8000 bytes; anything bigger stays in this process.
      if (client && payload.length < 7900) {
        client
          .query('select pg_notify($1, $2)', [channel, payload])
          .catch(() => emitter.emit('event', event));
      } else emitter.emit('event', event);
    },
    subscribe(listener) {
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    },
    async close() {
      emitter.removeAllListeners();
      await client?.end().catch(() => undefined);
    },
  };
}
