import { createServer, type Server } from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import mqtt from 'mqtt';
import { errorForLog } from '../../platform/logging.js';
import type { Ingest } from './ingest.js';

/**
 * Devices speak MQTT (DESIGN.md §2). By default the server embeds a broker (aedes) on
 * MQTT_PORT: a device connects with username = its IMEI and password = its secret, and may
 * publish only to its own `devices/{imei}/telemetry` and `devices/{imei}/event`. Each message
 * is handed to the ingestion before the broker acknowledges it (QoS 1): an SOS's case is
 * committed by the time the device hears PUBACK. With MQTT_URL the server subscribes to an
 * outside broker (Mosquitto, EMQX), which then authenticates the devices itself.
 */
export interface DeviceBroker {
  port: number | null;
  /** Where devices connect, for the start banner. */
  describe: string;
  clients(): number | null;
  close(): Promise<void>;
}

interface Log {
  info(o: object, m: string): void;
  warn(o: object, m: string): void;
}

const topicPattern = /^devices\/(\d{15})\/(telemetry|event)$/;

export async function startEmbeddedBroker(
  ingest: Ingest,
  opts: { port: number; host?: string; log: Log },
): Promise<DeviceBroker> {
  const imeiOf = new WeakMap<Client, string>();
  const broker = await Aedes.createBroker({
    // Devices are small: a frame larger than this is not telemetry.
    maxClientsIdLength: 64,
    authenticate: (client, username, password, done) => {
      const imei = username ?? '';
      ingest
        .authenticate(imei, password?.toString() ?? '')
        .then((ok) => {
          if (!ok) {
            const e = new Error('bad IMEI or secret') as AuthenticateError;
            e.returnCode = 4;
            return done(e, false);
          }
          imeiOf.set(client, imei);
          done(null, true);
        })
        .catch(() => {
          const e = new Error('unavailable') as AuthenticateError;
          e.returnCode = 3;
          done(e, false);
        });
    },
    authorizePublish: (client, packet, callback) => {
      const imei = client ? imeiOf.get(client) : undefined;
      const m = topicPattern.exec(packet.topic);
      // Only its own topics: a device that publishes elsewhere is disconnected.
      if (!imei || !m || m[1] !== imei) return callback(new Error('not authorised'));
      ingest.handle(imei, m[2] as 'telemetry' | 'event', packet.payload).then(
        () => callback(null),
        (e) => {
          opts.log.warn({ imei, err: errorForLog(e) }, 'device message failed');
          callback(null);
        },
      );
    },
    authorizeSubscribe: (client, sub, callback) => {
      const imei = imeiOf.get(client);
      // A device may hear only its own commands.
      if (!imei || !sub.topic.startsWith(`devices/${imei}/`)) return callback(new Error('not authorised'));
      callback(null, sub);
    },
  });
  // A broken client is its own problem: logged, never a crash of the server.
  broker.on('clientError', (client, err) =>
    opts.log.info({ client: client?.id?.slice(0, 64), err: err.message }, 'mqtt client error'),
  );
  broker.on('connectionError', (_client, err) =>
    opts.log.info({ err: err.message }, 'mqtt connection error'),
  );
  const server: Server = createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => {
      // Not listening: the broker is of no use, and its caller decides what to do instead.
      broker.close();
      reject(e);
    });
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => resolve());
  });
  server.on('error', (e) => opts.log.warn({ err: e.message }, 'mqtt listener error'));
  const port = (server.address() as { port: number }).port;
  opts.log.info({ port }, 'embedded MQTT broker listening');
  return {
    port,
    describe: `embedded broker on port ${port}`,
    clients: () => broker.connectedClients,
    close: () =>
      new Promise<void>((resolve) => {
        broker.close(() => server.close(() => resolve()));
        // Open device connections would hold server.close: the broker ends them above.
      }),
  };
}

/** Subscribes to `devices/+/telemetry` and `devices/+/event` on an outside broker. */
export async function subscribeOutsideBroker(ingest: Ingest, url: string, log: Log): Promise<DeviceBroker> {
  const client = mqtt.connect(url, { reconnectPeriod: 2000, clientId: `civicgrid-${process.pid}` });
  client.on('error', (e) => log.warn({ err: e.message }, 'outside MQTT broker error'));
  client.on('connect', () => {
    client.subscribe(['devices/+/telemetry', 'devices/+/event'], { qos: 1 }, (err) => {
      if (err) log.warn({ err: err.message }, 'outside MQTT subscribe failed');
      else log.info({ url: url.replace(/\/\/[^@]*@/, '//') }, 'subscribed to the outside MQTT broker');
    });
  });
  client.on('message', (topic, payload) => {
    const m = topicPattern.exec(topic);
    if (!m) return;
    ingest
      .handle(m[1] as string, m[2] as 'telemetry' | 'event', payload)
      .catch((e) => log.warn({ err: errorForLog(e) }, 'device message failed'));
  });
  return {
    port: null,
    describe: `subscribed to ${url.replace(/\/\/[^@]*@/, '//')}`,
    clients: () => null,
    close: () => new Promise<void>((resolve) => client.end(false, {}, () => resolve())),
  };
}
