CREATE TABLE "briefing_tasks" (
	"id" serial PRIMARY KEY NOT NULL,
	"briefing_id" uuid NOT NULL,
	"text" text NOT NULL,
	"owner_user_id" uuid,
	"department_id" integer,
	"due_on" date NOT NULL,
	"done_at" timestamp with time zone,
	"done_note" text,
	"done_by" uuid
);
--> statement-breakpoint
CREATE TABLE "briefings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_unit_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"title" text NOT NULL,
	"held_on" date NOT NULL,
	"attendees" text NOT NULL,
	"minutes" text DEFAULT '' NOT NULL,
	"agenda" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "briefing_tasks" ADD CONSTRAINT "briefing_tasks_briefing_id_briefings_id_fk" FOREIGN KEY ("briefing_id") REFERENCES "public"."briefings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "briefing_tasks" ADD CONSTRAINT "briefing_tasks_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "briefing_tasks" ADD CONSTRAINT "briefing_tasks_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "briefing_tasks" ADD CONSTRAINT "briefing_tasks_done_by_users_id_fk" FOREIGN KEY ("done_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "briefings" ADD CONSTRAINT "briefings_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "briefings" ADD CONSTRAINT "briefings_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "briefing_tasks_briefing_idx" ON "briefing_tasks" USING btree ("briefing_id");--> statement-breakpoint
CREATE INDEX "briefing_tasks_owner_idx" ON "briefing_tasks" USING btree ("owner_user_id");--> statement-breakpoint
CREATE INDEX "briefing_tasks_department_idx" ON "briefing_tasks" USING btree ("department_id");--> statement-breakpoint
CREATE INDEX "briefings_path_idx" ON "briefings" USING btree ("org_path" text_pattern_ops,"held_on");