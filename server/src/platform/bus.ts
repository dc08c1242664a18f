import { EventEmitter } from 'node:events';
import pg from 'pg';

/** What moves between parts of the platform (and between server processes). */
export type BusEvent =
  | { type: 'notification'; userId: string; notification: Record<string, unknown> }
  | { type: 'case'; id: string; code: string; status: string; orgPath: string; departmentIds: number[] }
  | {
      /** A wearable's new position or a new alert (eldercare), for the live map of those who see the device. */
      type: 'eldercare';
      kind: 'position' | 'alert';
      deviceId: string;
      orgPath: string;
      lat: number | null;
      lng: number | null;
      alertId?: string;
      alertKind?: string;
    };

export interface EventBus {
  publish(event: BusEvent): void;
  subscribe(listener: (event: BusEvent) => void): () => void;
  /** Listeners now subscribed (the open event streams: /metrics counts them). */
  subscriberCount(): number;
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
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const listen = async (url: string) => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (msg) => {
      if (msg.channel !== channel || !msg.payload) return;
      try {
        emitter.emit('event', JSON.parse(msg.payload) as BusEvent);
      } catch {}
    });
    // A dropped listener connection (the database restarting) must not take the server down:
    // events stay local meanwhile, and the listener comes back once the database does.
    const lost = () => {
      if (client === c) client = null;
      c.end().catch(() => undefined);
      if (!closed && !retry)
        retry = setTimeout(() => {
          retry = undefined;
          listen(url).catch(lost);
        }, 2_000).unref();
    };
    c.on('error', lost);
    c.on('end', lost);
    await c.connect();
    await c.query(`listen ${channel}`);
    if (closed) await c.end();
    else client = c;
  };
  if (databaseUrl) await listen(databaseUrl);
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
    subscriberCount: () => emitter.listenerCount('event'),
    async close() {
      closed = true;
      clearTimeout(retry);
      emitter.removeAllListeners();
      await client?.end().catch(() => undefined);
    },
  };
}
