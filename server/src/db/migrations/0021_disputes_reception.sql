CREATE TABLE "dispute_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dispute_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"actor_id" uuid,
	"note" text,
	"data" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dispute_parties" (
	"id" serial PRIMARY KEY NOT NULL,
	"dispute_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"kind" text NOT NULL,
	"role" text NOT NULL,
	"name" text NOT NULL,
	"id_enc" text,
	"id_idx" text,
	"phone_enc" text
);
--> statement-breakpoint
CREATE TABLE "dispute_screenings" (
	"id" serial PRIMARY KEY NOT NULL,
	"grid_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"week_from" date NOT NULL,
	"dispute_ids" uuid[] NOT NULL,
	"zero" boolean NOT NULL,
	"note" text,
	"reported_by" uuid NOT NULL,
	"reported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "disputes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"type" text NOT NULL,
	"description" text NOT NULL,
	"risk_level" text NOT NULL,
	"source" text NOT NULL,
	"status" text NOT NULL,
	"location" jsonb,
	"grid_id" integer,
	"org_unit_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"committee_id" integer,
	"mediator_id" integer,
	"mediator_user_id" uuid,
	"accepted_at" timestamp with time zone,
	"deadline" date NOT NULL,
	"sessions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"agreement" jsonb,
	"failure" jsonb,
	"follow_ups" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"case_id" uuid,
	"reception_id" uuid,
	"closed_at" timestamp with time zone,
	"created_by" uuid NOT NULL,
	"idempotency_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "disputes_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "mediation_committees" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"org_unit_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"department_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mediators" (
	"id" serial PRIMARY KEY NOT NULL,
	"committee_id" integer NOT NULL,
	"name" text NOT NULL,
	"title" text,
	"user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "receptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_unit_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"visit_day" date NOT NULL,
	"number" integer NOT NULL,
	"visitor_name" text NOT NULL,
	"id_enc" text,
	"id_idx" text,
	"phone_enc" text,
	"resident_id" uuid,
	"matter" text NOT NULL,
	"route" text NOT NULL,
	"answer" text,
	"status" text NOT NULL,
	"dispute_id" uuid,
	"case_id" uuid,
	"grievance_id" uuid,
	"received_by" uuid NOT NULL,
	"idempotency_key" text NOT NULL,
	"visited_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "dispute_events" ADD CONSTRAINT "dispute_events_dispute_id_disputes_id_fk" FOREIGN KEY ("dispute_id") REFERENCES "public"."disputes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispute_parties" ADD CONSTRAINT "dispute_parties_dispute_id_disputes_id_fk" FOREIGN KEY ("dispute_id") REFERENCES "public"."disputes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispute_screenings" ADD CONSTRAINT "dispute_screenings_grid_id_org_units_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispute_screenings" ADD CONSTRAINT "dispute_screenings_reported_by_users_id_fk" FOREIGN KEY ("reported_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_grid_id_org_units_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_committee_id_mediation_committees_id_fk" FOREIGN KEY ("committee_id") REFERENCES "public"."mediation_committees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_mediator_id_mediators_id_fk" FOREIGN KEY ("mediator_id") REFERENCES "public"."mediators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mediation_committees" ADD CONSTRAINT "mediation_committees_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mediation_committees" ADD CONSTRAINT "mediation_committees_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mediators" ADD CONSTRAINT "mediators_committee_id_mediation_committees_id_fk" FOREIGN KEY ("committee_id") REFERENCES "public"."mediation_committees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mediators" ADD CONSTRAINT "mediators_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receptions" ADD CONSTRAINT "receptions_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receptions" ADD CONSTRAINT "receptions_received_by_users_id_fk" FOREIGN KEY ("received_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dispute_events_dispute_idx" ON "dispute_events" USING btree ("dispute_id","at");--> statement-breakpoint
CREATE INDEX "dispute_parties_dispute_idx" ON "dispute_parties" USING btree ("dispute_id");--> statement-breakpoint
CREATE INDEX "dispute_parties_id_idx" ON "dispute_parties" USING btree ("id_idx");--> statement-breakpoint
CREATE UNIQUE INDEX "dispute_screenings_grid_week_idx" ON "dispute_screenings" USING btree ("grid_id","week_from");--> statement-breakpoint
CREATE UNIQUE INDEX "disputes_idempotency_idx" ON "disputes" USING btree ("created_by","idempotency_key");--> statement-breakpoint
CREATE INDEX "disputes_path_idx" ON "disputes" USING btree ("org_path");--> statement-breakpoint
CREATE INDEX "disputes_case_idx" ON "disputes" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "mediation_committees_path_idx" ON "mediation_committees" USING btree ("org_path");--> statement-breakpoint
CREATE UNIQUE INDEX "receptions_idempotency_idx" ON "receptions" USING btree ("received_by","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "receptions_number_idx" ON "receptions" USING btree ("org_unit_id","visit_day","number");--> statement-breakpoint
CREATE INDEX "receptions_path_idx" ON "receptions" USING btree ("org_path","visit_day");