import { doublePrecision, integer, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * Telemetry lives in `device_telemetry`, partitioned by month (PostgreSQL declarative
 * partitioning): drizzle-kit cannot declare a partitioned table, so it is made by the custom
 * migration `eldercare_telemetry` and this file is deliberately not exported from db/schema.ts. This
 * definition is for queries only; the primary key (device_id, ts) keeps a resent reading once.
 */
export const deviceTelemetry = pgTable('device_telemetry', {
  deviceId: uuid('device_id').notNull(),
  ts: ts('ts').notNull(),
  hr: integer('hr'),
  bpSys: integer('bp_sys'),
  bpDia: integer('bp_dia'),
  lat: doublePrecision('lat'),
  lng: doublePrecision('lng'),
  battery: doublePrecision('battery'),
  receivedAt: ts('received_at').notNull().defaultNow(),
});
