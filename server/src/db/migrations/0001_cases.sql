CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE SEQUENCE IF NOT EXISTS case_code_seq;--> statement-breakpoint
CREATE TABLE "calendar_days" (
	"day" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text
);
--> statement-breakpoint
CREATE TABLE "case_categories" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"parent_code" text,
	"handler_kind" text NOT NULL,
	"handler_department_id" integer,
	"clock" text DEFAULT 'working' NOT NULL,
	"accept_minutes" integer,
	"dispatch_minutes" integer,
	"resolve_minutes" integer,
	"priority" text DEFAULT 'normal' NOT NULL,
	"self_resolvable" boolean DEFAULT false NOT NULL,
	"auto_escalate" boolean DEFAULT true NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "case_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from_state" text,
	"to_state" text,
	"actor_id" uuid,
	"actor_name" text NOT NULL,
	"actor_unit" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"note" text,
	"data" jsonb,
	"attachment_ids" uuid[]
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"status" text NOT NULL,
	"category_code" text NOT NULL,
	"channel" text NOT NULL,
	"priority" text DEFAULT 'normal' NOT NULL,
	"description" text NOT NULL,
	"address" text,
	"lat" double precision,
	"lng" double precision,
	"grid_id" integer,
	"community_id" integer,
	"street_id" integer,
	"org_path" text NOT NULL,
	"handling_unit_id" integer NOT NULL,
	"assignee_kind" text,
	"assignee_department_id" integer,
	"assignee_unit_id" integer,
	"assignee_user_id" uuid,
	"department_ids" integer[] DEFAULT '{}'::integer[] NOT NULL,
	"reporter_name" text,
	"reporter_phone_enc" text,
	"reporter_phone_idx" text,
	"reporter_user_id" uuid,
	"created_by" uuid,
	"idempotency_key" text NOT NULL,
	"step" text NOT NULL,
	"due_at" timestamp with time zone,
	"warn_at" timestamp with time zone,
	"warned" boolean DEFAULT false NOT NULL,
	"overdue" boolean DEFAULT false NOT NULL,
	"ever_overdue" boolean DEFAULT false NOT NULL,
	"accept_by" timestamp with time zone,
	"dispatch_by" timestamp with time zone,
	"resolve_by" timestamp with time zone,
	"supervised" boolean DEFAULT false NOT NULL,
	"supervision" jsonb,
	"supervision_due_at" timestamp with time zone,
	"extension" jsonb,
	"rework_count" smallint DEFAULT 0 NOT NULL,
	"escalations" smallint DEFAULT 0 NOT NULL,
	"resolved_at_level" text,
	"resolved_on_time" boolean,
	"rating" text,
	"rating_comment" text,
	"merged_into" uuid,
	"reported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"accepted_at" timestamp with time zone,
	"dispatched_at" timestamp with time zone,
	"claimed_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"verified_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cases_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"width" integer,
	"height" integer,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"thumb_key" text NOT NULL,
	"owner_id" uuid NOT NULL,
	"case_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_runs" (
	"name" text PRIMARY KEY NOT NULL,
	"last_run_at" timestamp with time zone NOT NULL,
	"last_result" jsonb
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text,
	"case_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "case_categories" ADD CONSTRAINT "case_categories_handler_department_id_departments_id_fk" FOREIGN KEY ("handler_department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_category_code_case_categories_code_fk" FOREIGN KEY ("category_code") REFERENCES "public"."case_categories"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_grid_id_org_units_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_community_id_org_units_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_street_id_org_units_id_fk" FOREIGN KEY ("street_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_handling_unit_id_org_units_id_fk" FOREIGN KEY ("handling_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_assignee_department_id_departments_id_fk" FOREIGN KEY ("assignee_department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_assignee_unit_id_org_units_id_fk" FOREIGN KEY ("assignee_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_categories_parent_idx" ON "case_categories" USING btree ("parent_code");--> statement-breakpoint
CREATE INDEX "case_events_case_idx" ON "case_events" USING btree ("case_id","id");--> statement-breakpoint
CREATE INDEX "case_events_at_idx" ON "case_events" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_idempotency_idx" ON "cases" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "cases_path_idx" ON "cases" USING btree ("org_path" text_pattern_ops,"reported_at");--> statement-breakpoint
CREATE INDEX "cases_reported_idx" ON "cases" USING btree ("reported_at");--> statement-breakpoint
CREATE INDEX "cases_status_idx" ON "cases" USING btree ("status","reported_at");--> statement-breakpoint
CREATE INDEX "cases_category_idx" ON "cases" USING btree ("category_code","reported_at");--> statement-breakpoint
CREATE INDEX "cases_handling_idx" ON "cases" USING btree ("handling_unit_id","status");--> statement-breakpoint
CREATE INDEX "cases_due_idx" ON "cases" USING btree ("due_at") WHERE "cases"."step" <> 'none';--> statement-breakpoint
CREATE INDEX "cases_departments_idx" ON "cases" USING gin ("department_ids");--> statement-breakpoint
CREATE INDEX "cases_reporter_idx" ON "cases" USING btree ("reporter_user_id");--> statement-breakpoint
CREATE INDEX "cases_location_idx" ON "cases" USING btree ("category_code","lat","lng");--> statement-breakpoint
CREATE INDEX "cases_description_trgm_idx" ON "cases" USING gin ("description" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "files_case_idx" ON "files" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "files_owner_idx" ON "files" USING btree ("owner_id","created_at");--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","id");