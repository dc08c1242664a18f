import type { Config } from '../../platform/config.js';
import { errorForLog } from '../../platform/logging.js';
import type { AlertDeps } from './alerts.js';
import { type DeviceBroker, startEmbeddedBroker, subscribeOutsideBroker } from './broker.js';
import { createIngest, type Ingest } from './ingest.js';

/**
 * The eldercare device side of one server: its ingestion (made with the app, so HTTP pushes
 * work in every app) and its MQTT broker (started by main.ts, or by a test that asks).
 */
export interface Eldercare {
  ingest: Ingest;
  broker(): DeviceBroker | null;
  /** The embedded broker on `port` (MQTT_PORT by default), or the outside one when MQTT_URL is set. */
  startBroker(opts?: { port?: number; host?: string }): Promise<DeviceBroker | null>;
  close(): Promise<void>;
}

type Log = AlertDeps['log'] & { info(o: object, m: string): void };

export function createEldercare(deps: AlertDeps, config: Config, log: Log): Eldercare {
  const ingest = createIngest(
    { ...deps, blindIndex: (v) => deps.crypto.blindIndex(v) },
    { messagesPerMinute: config.DEVICE_MESSAGES_PER_MINUTE, log },
  );
  let broker: DeviceBroker | null = null;
  return {
    ingest,
    broker: () => broker,
    async startBroker(opts = {}) {
      if (broker) return broker;
      if (config.MQTT_URL) {
        broker = await subscribeOutsideBroker(ingest, config.MQTT_URL, log);
        return broker;
      }
      const port = opts.port ?? config.MQTT_PORT;
      if (port === 0 && opts.port === undefined) return null;
      try {
        broker = await startEmbeddedBroker(ingest, { port, host: opts.host ?? config.HOST, log });
        return broker;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || opts.port !== undefined) {
          log.warn({ port, err: errorForLog(e) }, 'embedded MQTT broker not started; HTTP ingestion only');
          return null;
        }
        // The configured port is taken: another broker holds it (Mosquitto on 1883, as on the
        // development machine). An SOS must still arrive, so the server subscribes to that
        // broker — which then, not this server, decides who may connect and publish.
        const bound = opts.host ?? config.HOST;
        const host = bound === '0.0.0.0' || bound === '::' ? '127.0.0.1' : bound;
        log.warn(
          { port },
          'MQTT port taken: subscribing to the broker already on it (it authenticates the devices); set MQTT_PORT to embed ours',
        );
        broker = await subscribeOutsideBroker(ingest, `mqtt://${host}:${port}`, log);
      }
      return broker;
    },
    async close() {
      await broker?.close();
      broker = null;
      await ingest.close();
    },
  };
}
