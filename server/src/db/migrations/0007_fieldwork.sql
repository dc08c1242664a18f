CREATE TABLE "patrol_points" (
	"patrol_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"lat" double precision NOT NULL,
	"lng" double precision NOT NULL,
	"accuracy" real,
	"segment" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "patrol_points_patrol_id_seq_pk" PRIMARY KEY("patrol_id","seq")
);
--> statement-breakpoint
CREATE TABLE "patrols" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"user_name" text NOT NULL,
	"grid_id" integer,
	"org_path" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"distance_m" real DEFAULT 0 NOT NULL,
	"duration_s" integer DEFAULT 0 NOT NULL,
	"points" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_logs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"user_name" text NOT NULL,
	"org_path" text NOT NULL,
	"day" text NOT NULL,
	"summary" jsonb NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "care_visits" ADD COLUMN "client_id" uuid;--> statement-breakpoint
ALTER TABLE "patrol_points" ADD CONSTRAINT "patrol_points_patrol_id_patrols_id_fk" FOREIGN KEY ("patrol_id") REFERENCES "public"."patrols"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patrols" ADD CONSTRAINT "patrols_grid_id_org_units_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "patrols_path_idx" ON "patrols" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "patrols_user_idx" ON "patrols" USING btree ("user_id","started_at");--> statement-breakpoint
CREATE INDEX "patrols_grid_idx" ON "patrols" USING btree ("grid_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "work_logs_user_day_idx" ON "work_logs" USING btree ("user_id","day");--> statement-breakpoint
CREATE INDEX "work_logs_path_idx" ON "work_logs" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "care_visits_client_idx" ON "care_visits" USING btree ("client_id");--> statement-breakpoint
CREATE UNIQUE INDEX "buildings_grid_name_idx" ON "buildings" USING btree ("grid_id","name");