CREATE TABLE "grievance_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"grievance_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"actor_id" uuid,
	"note" text,
	"data" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grievances" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"channel" text NOT NULL,
	"subject" text NOT NULL,
	"content" text NOT NULL,
	"person_name" text NOT NULL,
	"person_id_enc" text,
	"person_id_tail" text,
	"person_phone_enc" text,
	"status" text NOT NULL,
	"org_unit_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"handling_unit_id" integer,
	"handling_path" text,
	"department_id" integer,
	"received_on" date NOT NULL,
	"acknowledge_by" date NOT NULL,
	"acknowledged_on" date,
	"answer_by" date,
	"answered_on" date,
	"opinion" text,
	"extension_days" integer,
	"extension_reason" text,
	"extended_on" date,
	"review_request_by" date,
	"review_requested_on" date,
	"review_reason" text,
	"review_answer_by" date,
	"reviewed_on" date,
	"review_opinion" text,
	"review_upheld" boolean,
	"satisfaction" text,
	"closed_on" date,
	"due_step" text,
	"due_on" date,
	"warn_on" date,
	"created_by" uuid NOT NULL,
	"idempotency_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "grievances_code_unique" UNIQUE("code")
);
--> statement-breakpoint
ALTER TABLE "grievance_events" ADD CONSTRAINT "grievance_events_grievance_id_grievances_id_fk" FOREIGN KEY ("grievance_id") REFERENCES "public"."grievances"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grievance_events" ADD CONSTRAINT "grievance_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grievances" ADD CONSTRAINT "grievances_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grievances" ADD CONSTRAINT "grievances_handling_unit_id_org_units_id_fk" FOREIGN KEY ("handling_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grievances" ADD CONSTRAINT "grievances_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grievances" ADD CONSTRAINT "grievances_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "grievance_events_grievance_idx" ON "grievance_events" USING btree ("grievance_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "grievances_idempotency_idx" ON "grievances" USING btree ("created_by","idempotency_key");--> statement-breakpoint
CREATE INDEX "grievances_path_idx" ON "grievances" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "grievances_handling_path_idx" ON "grievances" USING btree ("handling_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "grievances_department_idx" ON "grievances" USING btree ("department_id");--> statement-breakpoint
CREATE INDEX "grievances_due_idx" ON "grievances" USING btree ("status","due_on");--> statement-breakpoint
CREATE INDEX "grievances_created_idx" ON "grievances" USING btree ("created_at");