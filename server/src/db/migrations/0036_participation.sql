CREATE TABLE "whistle_departments" (
	"whistle_id" uuid NOT NULL,
	"department_id" integer NOT NULL,
	"reported_at" timestamp with time zone,
	"reported_by" uuid,
	"note" text,
	CONSTRAINT "whistle_departments_whistle_id_department_id_pk" PRIMARY KEY("whistle_id","department_id")
);
--> statement-breakpoint
CREATE TABLE "whistles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"subject" text NOT NULL,
	"case_id" uuid,
	"org_unit_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"deadline" timestamp with time zone NOT NULL,
	"raised_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wish_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"wish_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"actor_id" uuid,
	"note" text,
	"data" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wishes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"grid_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"for_resident_id" uuid,
	"status" text NOT NULL,
	"posted_by" uuid NOT NULL,
	"idempotency_key" text NOT NULL,
	"published_at" timestamp with time zone,
	"claimed_by" uuid,
	"claimed_at" timestamp with time zone,
	"fulfilled_at" timestamp with time zone,
	"fulfil_note" text,
	"file_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"rating" integer,
	"rating_comment" text,
	"rated_at" timestamp with time zone,
	"escalated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wishes_rating_check" CHECK ("wishes"."rating" is null or "wishes"."rating" between 1 and 5)
);
--> statement-breakpoint
ALTER TABLE "whistle_departments" ADD CONSTRAINT "whistle_departments_whistle_id_whistles_id_fk" FOREIGN KEY ("whistle_id") REFERENCES "public"."whistles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whistle_departments" ADD CONSTRAINT "whistle_departments_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whistle_departments" ADD CONSTRAINT "whistle_departments_reported_by_users_id_fk" FOREIGN KEY ("reported_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whistles" ADD CONSTRAINT "whistles_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whistles" ADD CONSTRAINT "whistles_raised_by_users_id_fk" FOREIGN KEY ("raised_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wish_events" ADD CONSTRAINT "wish_events_wish_id_wishes_id_fk" FOREIGN KEY ("wish_id") REFERENCES "public"."wishes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wish_events" ADD CONSTRAINT "wish_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wishes" ADD CONSTRAINT "wishes_grid_id_org_units_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wishes" ADD CONSTRAINT "wishes_posted_by_users_id_fk" FOREIGN KEY ("posted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wishes" ADD CONSTRAINT "wishes_claimed_by_users_id_fk" FOREIGN KEY ("claimed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "whistle_departments_department_idx" ON "whistle_departments" USING btree ("department_id");--> statement-breakpoint
CREATE INDEX "whistles_path_idx" ON "whistles" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "whistles_created_idx" ON "whistles" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "wish_events_wish_idx" ON "wish_events" USING btree ("wish_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "wishes_idempotency_idx" ON "wishes" USING btree ("posted_by","idempotency_key");--> statement-breakpoint
CREATE INDEX "wishes_path_idx" ON "wishes" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "wishes_status_idx" ON "wishes" USING btree ("status","published_at");--> statement-breakpoint
CREATE INDEX "wishes_claimed_by_idx" ON "wishes" USING btree ("claimed_by");