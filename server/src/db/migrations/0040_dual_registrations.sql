CREATE TABLE "dual_registrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"employer" text,
	"contact_name" text,
	"phone_enc" text NOT NULL,
	"phone_tail" text NOT NULL,
	"services" text[] DEFAULT '{}'::text[] NOT NULL,
	"org_unit_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"volunteer_id" uuid,
	"registered_on" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "joint_meetings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_unit_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"held_on" text NOT NULL,
	"place" text,
	"attendee_ids" uuid[] NOT NULL,
	"items" jsonb NOT NULL,
	"note" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dual_registrations" ADD CONSTRAINT "dual_registrations_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dual_registrations" ADD CONSTRAINT "dual_registrations_volunteer_id_volunteers_id_fk" FOREIGN KEY ("volunteer_id") REFERENCES "public"."volunteers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dual_registrations" ADD CONSTRAINT "dual_registrations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_meetings" ADD CONSTRAINT "joint_meetings_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_meetings" ADD CONSTRAINT "joint_meetings_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dual_registrations_path_idx" ON "dual_registrations" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "dual_registrations_name_idx" ON "dual_registrations" USING btree ("org_unit_id","kind","name") WHERE "dual_registrations"."retired_at" is null;--> statement-breakpoint
CREATE INDEX "joint_meetings_path_idx" ON "joint_meetings" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "joint_meetings_held_idx" ON "joint_meetings" USING btree ("held_on");