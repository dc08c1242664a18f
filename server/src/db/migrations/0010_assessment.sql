CREATE TABLE "case_stats_closed" (
	"day" text NOT NULL,
	"district_id" integer NOT NULL,
	"street_id" integer NOT NULL,
	"n" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "case_stats_closed_district_id_day_street_id_pk" PRIMARY KEY("district_id","day","street_id")
);
--> statement-breakpoint
CREATE TABLE "case_stats_department" (
	"day" text NOT NULL,
	"district_id" integer NOT NULL,
	"street_id" integer NOT NULL,
	"department_id" integer NOT NULL,
	"n" integer DEFAULT 0 NOT NULL,
	"resolved" integer DEFAULT 0 NOT NULL,
	"closed_on_time" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "case_stats_department_district_id_day_street_id_department_id_pk" PRIMARY KEY("district_id","day","street_id","department_id")
);
--> statement-breakpoint
CREATE TABLE "assessment_rules" (
	"district_id" integer PRIMARY KEY NOT NULL,
	"rules" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid NOT NULL,
	"updated_by_name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "department_evaluations" (
	"id" serial PRIMARY KEY NOT NULL,
	"department_id" integer NOT NULL,
	"period" text NOT NULL,
	"start" text NOT NULL,
	"kind" text NOT NULL,
	"score" real NOT NULL,
	"note" text,
	"entered_by" uuid NOT NULL,
	"entered_by_name" text NOT NULL,
	"entered_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "case_stats_area" ADD COLUMN "overdue" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "case_stats_area" ADD COLUMN "supervised" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "assessment_rules" ADD CONSTRAINT "assessment_rules_district_id_org_units_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "department_evaluations" ADD CONSTRAINT "department_evaluations_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "department_evaluations_key_idx" ON "department_evaluations" USING btree ("department_id","period","start","kind");--> statement-breakpoint
-- The district dashboard reads its tiles, trends and department ranking from the roll-ups:
-- open cases now overdue or supervised (per report day, street and status), cases per
-- department the case was dispatched to, and closed cases per day of closing.
CREATE OR REPLACE FUNCTION case_stats_apply(r cases, sign int, dims boolean) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  d text := to_char((r.reported_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD');
  dist int := nullif(split_part(r.org_path, '/', 2), '')::int;
  st int := coalesce(r.street_id, 0);
BEGIN
  IF dist IS NULL THEN RETURN; END IF;
  INSERT INTO case_stats_area AS s (day, district_id, street_id, status, n, closed_on_time, resolved, verified, reworked,
    rated, satisfied, grid_closed, accept_s, accept_n, dispatch_s, dispatch_n, claim_s, claim_n, resolve_s, resolve_n,
    close_s, close_n, overdue, supervised)
  VALUES (d, dist, st, r.status, sign,
    sign * (r.resolved_on_time IS TRUE)::int,
    sign * (r.resolved_at IS NOT NULL)::int,
    sign * (r.verified_at IS NOT NULL)::int,
    sign * (r.rework_count > 0)::int,
    sign * (r.rating IS NOT NULL)::int,
    sign * (r.rating IS NOT NULL AND r.rating <> 'dissatisfied')::int,
    sign * (r.resolved_at_level IS NOT DISTINCT FROM 'grid')::int,
    sign * coalesce(extract(epoch FROM r.accepted_at - r.reported_at), 0)::float8,
    sign * (r.accepted_at IS NOT NULL)::int,
    sign * coalesce(extract(epoch FROM r.dispatched_at - r.accepted_at), 0)::float8,
    sign * (r.dispatched_at IS NOT NULL)::int,
    sign * coalesce(extract(epoch FROM r.claimed_at - r.dispatched_at), 0)::float8,
    sign * (r.claimed_at IS NOT NULL)::int,
    sign * coalesce(extract(epoch FROM r.resolved_at - coalesce(r.claimed_at, r.dispatched_at)), 0)::float8,
    sign * (r.resolved_at IS NOT NULL)::int,
    sign * coalesce(extract(epoch FROM r.closed_at - r.resolved_at), 0)::float8,
    sign * (r.resolved_at IS NOT NULL)::int,
    sign * r.overdue::int,
    sign * r.supervised::int)
  ON CONFLICT (district_id, day, street_id, status) DO UPDATE SET
    n = s.n + excluded.n, closed_on_time = s.closed_on_time + excluded.closed_on_time,
    resolved = s.resolved + excluded.resolved, verified = s.verified + excluded.verified,
    reworked = s.reworked + excluded.reworked, rated = s.rated + excluded.rated,
    satisfied = s.satisfied + excluded.satisfied, grid_closed = s.grid_closed + excluded.grid_closed,
    accept_s = s.accept_s + excluded.accept_s, accept_n = s.accept_n + excluded.accept_n,
    dispatch_s = s.dispatch_s + excluded.dispatch_s, dispatch_n = s.dispatch_n + excluded.dispatch_n,
    claim_s = s.claim_s + excluded.claim_s, claim_n = s.claim_n + excluded.claim_n,
    resolve_s = s.resolve_s + excluded.resolve_s, resolve_n = s.resolve_n + excluded.resolve_n,
    close_s = s.close_s + excluded.close_s, close_n = s.close_n + excluded.close_n,
    overdue = s.overdue + excluded.overdue, supervised = s.supervised + excluded.supervised;
  IF cardinality(r.department_ids) > 0 THEN
    INSERT INTO case_stats_department AS s (day, district_id, street_id, department_id, n, resolved, closed_on_time)
    SELECT d, dist, st, dep, sign, sign * (r.resolved_on_time IS NOT NULL)::int, sign * (r.resolved_on_time IS TRUE)::int
    FROM unnest(r.department_ids) AS dep
    ON CONFLICT (district_id, day, street_id, department_id) DO UPDATE SET
      n = s.n + excluded.n, resolved = s.resolved + excluded.resolved, closed_on_time = s.closed_on_time + excluded.closed_on_time;
  END IF;
  IF r.status = 'closed' AND r.closed_at IS NOT NULL THEN
    INSERT INTO case_stats_closed AS s (day, district_id, street_id, n)
    VALUES (to_char((r.closed_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD'), dist, st, sign)
    ON CONFLICT (district_id, day, street_id) DO UPDATE SET n = s.n + excluded.n;
  END IF;
  IF dims THEN
    INSERT INTO case_stats_dimension AS s (day, district_id, dimension, key, n)
    VALUES (d, dist, 'category', r.category_code, sign), (d, dist, 'channel', r.channel, sign)
    ON CONFLICT (district_id, day, dimension, key) DO UPDATE SET n = s.n + excluded.n;
  END IF;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION cases_stats_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  moved boolean := TG_OP <> 'UPDATE' OR OLD.category_code IS DISTINCT FROM NEW.category_code
    OR OLD.channel IS DISTINCT FROM NEW.channel OR OLD.reported_at IS DISTINCT FROM NEW.reported_at
    OR OLD.org_path IS DISTINCT FROM NEW.org_path;
BEGIN
  IF TG_OP = 'UPDATE' AND NOT moved AND (OLD.status, OLD.street_id, OLD.resolved_on_time, OLD.resolved_at, OLD.verified_at,
      OLD.rework_count, OLD.rating, OLD.resolved_at_level, OLD.accepted_at, OLD.dispatched_at, OLD.claimed_at, OLD.closed_at,
      OLD.overdue, OLD.supervised, OLD.department_ids)
    IS NOT DISTINCT FROM (NEW.status, NEW.street_id, NEW.resolved_on_time, NEW.resolved_at, NEW.verified_at,
      NEW.rework_count, NEW.rating, NEW.resolved_at_level, NEW.accepted_at, NEW.dispatched_at, NEW.claimed_at, NEW.closed_at,
      NEW.overdue, NEW.supervised, NEW.department_ids) THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM case_stats_apply(OLD, -1, moved); END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN PERFORM case_stats_apply(NEW, 1, moved); END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION case_stats_rebuild() RETURNS void LANGUAGE sql AS $$
  DELETE FROM case_stats_area;
  DELETE FROM case_stats_dimension;
  DELETE FROM case_stats_department;
  DELETE FROM case_stats_closed;
  INSERT INTO case_stats_area (day, district_id, street_id, status, n, closed_on_time, resolved, verified, reworked,
    rated, satisfied, grid_closed, accept_s, accept_n, dispatch_s, dispatch_n, claim_s, claim_n, resolve_s, resolve_n,
    close_s, close_n, overdue, supervised)
  SELECT to_char((reported_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD'),
    split_part(org_path, '/', 2)::int, coalesce(street_id, 0), status, count(*),
    count(*) FILTER (WHERE resolved_on_time), count(resolved_at), count(verified_at),
    count(*) FILTER (WHERE rework_count > 0), count(rating),
    count(*) FILTER (WHERE rating <> 'dissatisfied'), count(*) FILTER (WHERE resolved_at_level = 'grid'),
    coalesce(extract(epoch FROM sum(accepted_at - reported_at)), 0), count(accepted_at),
    coalesce(extract(epoch FROM sum(dispatched_at - accepted_at)), 0), count(dispatched_at),
    coalesce(extract(epoch FROM sum(claimed_at - dispatched_at)), 0), count(claimed_at),
    coalesce(extract(epoch FROM sum(resolved_at - coalesce(claimed_at, dispatched_at))), 0), count(resolved_at),
    coalesce(extract(epoch FROM sum(closed_at - resolved_at)), 0), count(resolved_at),
    count(*) FILTER (WHERE overdue), count(*) FILTER (WHERE supervised)
  FROM cases WHERE split_part(org_path, '/', 2) <> '' GROUP BY 1, 2, 3, 4;
  INSERT INTO case_stats_dimension (day, district_id, dimension, key, n)
  SELECT to_char((reported_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD'), split_part(org_path, '/', 2)::int,
    'category', category_code, count(*) FROM cases WHERE split_part(org_path, '/', 2) <> '' GROUP BY 1, 2, 4
  UNION ALL
  SELECT to_char((reported_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD'), split_part(org_path, '/', 2)::int,
    'channel', channel, count(*) FROM cases WHERE split_part(org_path, '/', 2) <> '' GROUP BY 1, 2, 4;
  INSERT INTO case_stats_department (day, district_id, street_id, department_id, n, resolved, closed_on_time)
  SELECT to_char((reported_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD'), split_part(org_path, '/', 2)::int,
    coalesce(street_id, 0), dep, count(*), count(resolved_on_time), count(*) FILTER (WHERE resolved_on_time)
  FROM cases, unnest(department_ids) AS dep WHERE split_part(org_path, '/', 2) <> '' GROUP BY 1, 2, 3, 4;
  INSERT INTO case_stats_closed (day, district_id, street_id, n)
  SELECT to_char((closed_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD'), split_part(org_path, '/', 2)::int,
    coalesce(street_id, 0), count(*)
  FROM cases WHERE split_part(org_path, '/', 2) <> '' AND status = 'closed' AND closed_at IS NOT NULL GROUP BY 1, 2, 3;
$$;
--> statement-breakpoint
SELECT case_stats_rebuild();
