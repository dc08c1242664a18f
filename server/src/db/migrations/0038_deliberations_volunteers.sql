CREATE TABLE "deliberation_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"deliberation_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"actor_id" uuid,
	"note" text,
	"data" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deliberations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"proposal" text NOT NULL,
	"org_unit_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"review_department_id" integer,
	"rules" jsonb NOT NULL,
	"status" text NOT NULL,
	"proposed_by" uuid NOT NULL,
	"meeting_at" timestamp with time zone,
	"meeting_place" text,
	"representatives" integer,
	"attendees" integer,
	"votes_for" integer,
	"votes_against" integer,
	"votes_abstain" integer,
	"decision" text,
	"implementation" text,
	"review_passed" boolean,
	"review_note" text,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deliberations_attendance_check" CHECK ("deliberations"."attendees" is null or ("deliberations"."attendees" >= 0 and "deliberations"."attendees" <= "deliberations"."representatives")),
	CONSTRAINT "deliberations_votes_check" CHECK ("deliberations"."votes_for" is null or "deliberations"."votes_for" + "deliberations"."votes_against" + "deliberations"."votes_abstain" <= "deliberations"."attendees")
);
--> statement-breakpoint
CREATE TABLE "volunteer_activities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"place_name" text NOT NULL,
	"lat" double precision NOT NULL,
	"lng" double precision NOT NULL,
	"radius_m" integer NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"org_unit_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"status" text NOT NULL,
	"capacity" integer,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "volunteer_activities_time_check" CHECK ("volunteer_activities"."ends_at" > "volunteer_activities"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "volunteer_attendances" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"activity_id" uuid NOT NULL,
	"volunteer_id" uuid NOT NULL,
	"checked_in_at" timestamp with time zone NOT NULL,
	"check_in_distance_m" integer NOT NULL,
	"checked_out_at" timestamp with time zone,
	"minutes" integer,
	"checked_in_by" uuid,
	"checked_out_by" uuid,
	CONSTRAINT "volunteer_attendances_credit_check" CHECK (("volunteer_attendances"."checked_out_at" is null) = ("volunteer_attendances"."minutes" is null) and ("volunteer_attendances"."minutes" is null or "volunteer_attendances"."minutes" >= 0))
);
--> statement-breakpoint
CREATE TABLE "volunteer_sign_ups" (
	"activity_id" uuid NOT NULL,
	"volunteer_id" uuid NOT NULL,
	"signed_up_by" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "volunteer_sign_ups_activity_id_volunteer_id_pk" PRIMARY KEY("activity_id","volunteer_id")
);
--> statement-breakpoint
CREATE TABLE "volunteers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"phone_enc" text NOT NULL,
	"phone_idx" text NOT NULL,
	"resident_id" uuid,
	"user_id" uuid,
	"skills" text[] DEFAULT '{}'::text[] NOT NULL,
	"org_unit_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"availability" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "deliberation_events" ADD CONSTRAINT "deliberation_events_deliberation_id_deliberations_id_fk" FOREIGN KEY ("deliberation_id") REFERENCES "public"."deliberations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliberation_events" ADD CONSTRAINT "deliberation_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliberations" ADD CONSTRAINT "deliberations_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliberations" ADD CONSTRAINT "deliberations_review_department_id_departments_id_fk" FOREIGN KEY ("review_department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliberations" ADD CONSTRAINT "deliberations_proposed_by_users_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_activities" ADD CONSTRAINT "volunteer_activities_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_activities" ADD CONSTRAINT "volunteer_activities_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_attendances" ADD CONSTRAINT "volunteer_attendances_activity_id_volunteer_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."volunteer_activities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_attendances" ADD CONSTRAINT "volunteer_attendances_volunteer_id_volunteers_id_fk" FOREIGN KEY ("volunteer_id") REFERENCES "public"."volunteers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_attendances" ADD CONSTRAINT "volunteer_attendances_checked_in_by_users_id_fk" FOREIGN KEY ("checked_in_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_attendances" ADD CONSTRAINT "volunteer_attendances_checked_out_by_users_id_fk" FOREIGN KEY ("checked_out_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_sign_ups" ADD CONSTRAINT "volunteer_sign_ups_activity_id_volunteer_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."volunteer_activities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_sign_ups" ADD CONSTRAINT "volunteer_sign_ups_volunteer_id_volunteers_id_fk" FOREIGN KEY ("volunteer_id") REFERENCES "public"."volunteers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_sign_ups" ADD CONSTRAINT "volunteer_sign_ups_signed_up_by_users_id_fk" FOREIGN KEY ("signed_up_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteers" ADD CONSTRAINT "volunteers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteers" ADD CONSTRAINT "volunteers_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteers" ADD CONSTRAINT "volunteers_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deliberation_events_deliberation_idx" ON "deliberation_events" USING btree ("deliberation_id","at");--> statement-breakpoint
CREATE INDEX "deliberations_path_idx" ON "deliberations" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "deliberations_status_idx" ON "deliberations" USING btree ("status","updated_at");--> statement-breakpoint
CREATE INDEX "deliberations_published_idx" ON "deliberations" USING btree ("published_at");--> statement-breakpoint
CREATE INDEX "volunteer_activities_path_idx" ON "volunteer_activities" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "volunteer_activities_starts_idx" ON "volunteer_activities" USING btree ("starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "volunteer_attendances_open_idx" ON "volunteer_attendances" USING btree ("activity_id","volunteer_id") WHERE "volunteer_attendances"."checked_out_at" is null;--> statement-breakpoint
CREATE INDEX "volunteer_attendances_volunteer_idx" ON "volunteer_attendances" USING btree ("volunteer_id");--> statement-breakpoint
CREATE INDEX "volunteer_sign_ups_volunteer_idx" ON "volunteer_sign_ups" USING btree ("volunteer_id");--> statement-breakpoint
CREATE INDEX "volunteers_path_idx" ON "volunteers" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "volunteers_phone_unit_idx" ON "volunteers" USING btree ("phone_idx","org_unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "volunteers_user_idx" ON "volunteers" USING btree ("user_id");