-- Partitioned history (issue 18): audit_log, case_events and patrol_points become range
-- partitions by calendar month (UTC) of their timestamp, one table per month named
-- <table>_YYYYMM plus <table>_default as a safety net (platform/partitions.ts moves rows out
-- of the default when it makes their month). Written by hand: drizzle-kit cannot declare a
-- partitioned table; the snapshot carries the keys that now include the partition key.
-- Works on a database that holds rows: each table is renamed, a partitioned one made with
-- the same columns and defaults (the id sequences are kept, so ids continue), partitions
-- made for every month its rows span up to next month, the rows copied, the old table
-- dropped, then keys, indexes and foreign keys made on the parent (and so on every month).
CREATE TABLE "audit_detachments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"partition" text NOT NULL,
	"month_start" timestamp with time zone NOT NULL,
	"detached_at" timestamp with time zone NOT NULL,
	"prefix_seq" bigint NOT NULL,
	"prefix_hash" text NOT NULL,
	"prefix_keyed" boolean NOT NULL,
	"stragglers" jsonb NOT NULL,
	"row_count" bigint NOT NULL,
	"key_id" text NOT NULL,
	"sig" text NOT NULL,
	CONSTRAINT "audit_detachments_partition_unique" UNIQUE("partition")
);
--> statement-breakpoint
CREATE FUNCTION cg_partition_by_month(tbl text, col text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	old text := tbl || '_unpartitioned';
	this_month timestamp := date_trunc('month', now() AT TIME ZONE 'UTC');
	m timestamp;
BEGIN
	EXECUTE format('ALTER TABLE %I RENAME TO %I', tbl, old);
	EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS) PARTITION BY RANGE (%I)', tbl, old, col);
	EXECUTE format('SELECT date_trunc(''month'', min(%I) AT TIME ZONE ''UTC'') FROM %I', col, old) INTO m;
	m := least(coalesce(m, this_month), this_month);
	WHILE m <= this_month + interval '1 month' LOOP
		EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
			tbl || '_' || to_char(m, 'YYYYMM'), tbl, m AT TIME ZONE 'UTC', (m + interval '1 month') AT TIME ZONE 'UTC');
		m := m + interval '1 month';
	END LOOP;
	EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', tbl || '_default', tbl);
	EXECUTE format('INSERT INTO %I SELECT * FROM %I', tbl, old);
END
$$;
--> statement-breakpoint
SELECT cg_partition_by_month('audit_log', 'at');
--> statement-breakpoint
SELECT cg_partition_by_month('case_events', 'at');
--> statement-breakpoint
SELECT cg_partition_by_month('patrol_points', 'at');
--> statement-breakpoint
DROP FUNCTION cg_partition_by_month(text, text);
--> statement-breakpoint
ALTER SEQUENCE "audit_log_id_seq" OWNED BY NONE;
--> statement-breakpoint
ALTER SEQUENCE "case_events_id_seq" OWNED BY NONE;
--> statement-breakpoint
DROP TABLE "audit_log_unpartitioned";
--> statement-breakpoint
DROP TABLE "case_events_unpartitioned";
--> statement-breakpoint
DROP TABLE "patrol_points_unpartitioned";
--> statement-breakpoint
ALTER SEQUENCE "audit_log_id_seq" OWNED BY "audit_log"."id";
--> statement-breakpoint
ALTER SEQUENCE "case_events_id_seq" OWNED BY "case_events"."id";
--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_id_at_pk" PRIMARY KEY("id","at");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor_id");--> statement-breakpoint
CREATE INDEX "audit_log_target_idx" ON "audit_log" USING btree ("target_type","target_id");--> statement-breakpoint
CREATE INDEX "audit_log_action_idx" ON "audit_log" USING btree ("action");--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_chain_seq_idx" ON "audit_log" USING btree ("chain_seq","at");--> statement-breakpoint
CREATE INDEX "audit_log_unchained_idx" ON "audit_log" USING btree ("id") WHERE chain_seq is null;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_id_at_pk" PRIMARY KEY("id","at");--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_events_case_idx" ON "case_events" USING btree ("case_id","id");--> statement-breakpoint
CREATE INDEX "case_events_at_idx" ON "case_events" USING btree ("at");--> statement-breakpoint
CREATE INDEX "case_events_action_at_idx" ON "case_events" USING btree ("action","at");--> statement-breakpoint
CREATE INDEX "case_events_client_key_idx" ON "case_events" USING btree ("case_id","actor_id","client_key");--> statement-breakpoint
ALTER TABLE "patrol_points" ADD CONSTRAINT "patrol_points_patrol_id_seq_at_pk" PRIMARY KEY("patrol_id","seq","at");--> statement-breakpoint
ALTER TABLE "patrol_points" ADD CONSTRAINT "patrol_points_patrol_id_patrols_id_fk" FOREIGN KEY ("patrol_id") REFERENCES "public"."patrols"("id") ON DELETE no action ON UPDATE no action;
