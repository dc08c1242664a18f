-- Telemetry of the wearables, partitioned by calendar month (UTC); see modules/eldercare/partitions.ts.
-- The primary key includes the partition key, as PostgreSQL requires; a resent reading is stored once.
CREATE TABLE "device_telemetry" (
	"device_id" uuid NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"hr" integer,
	"bp_sys" integer,
	"bp_dia" integer,
	"lat" double precision,
	"lng" double precision,
	"battery" double precision,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	PRIMARY KEY ("device_id", "ts")
) PARTITION BY RANGE ("ts");
--> statement-breakpoint
DO $$
DECLARE
	m timestamptz := date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
	i int;
BEGIN
	FOR i IN 0..1 LOOP
		EXECUTE format(
			'CREATE TABLE IF NOT EXISTS %I PARTITION OF device_telemetry FOR VALUES FROM (%L) TO (%L)',
			'device_telemetry_' || to_char((m + make_interval(months => i)) AT TIME ZONE 'UTC', 'YYYYMM'),
			m + make_interval(months => i),
			m + make_interval(months => i + 1));
	END LOOP;
END
$$;
