CREATE TABLE "device_alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"device_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"org_path" text NOT NULL,
	"lat" double precision,
	"lng" double precision,
	"detail" text,
	"repeats" integer DEFAULT 0 NOT NULL,
	"case_id" uuid,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" uuid,
	"closed_at" timestamp with time zone,
	"closed_by" uuid
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"imei" text NOT NULL,
	"model" text NOT NULL,
	"sim" text,
	"resident_id" uuid NOT NULL,
	"grid_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"secret_hash" text NOT NULL,
	"safe_area" jsonb,
	"thresholds" jsonb NOT NULL,
	"interval_s" integer DEFAULT 60 NOT NULL,
	"last_seen_at" timestamp with time zone,
	"last_lat" double precision,
	"last_lng" double precision,
	"last_hr" integer,
	"last_bp_sys" integer,
	"last_bp_dia" integer,
	"last_battery" double precision,
	"vitals_streak" integer DEFAULT 0 NOT NULL,
	"outside_area" boolean DEFAULT false NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "elder_contacts" (
	"id" serial PRIMARY KEY NOT NULL,
	"resident_id" uuid NOT NULL,
	"sort" integer NOT NULL,
	"name" text NOT NULL,
	"relation" text NOT NULL,
	"kind" text NOT NULL,
	"phone_enc" text NOT NULL,
	"phone_tail" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "elder_profiles" (
	"resident_id" uuid PRIMARY KEY NOT NULL,
	"org_path" text NOT NULL,
	"living_alone" boolean DEFAULT false NOT NULL,
	"empty_nest" boolean DEFAULT false NOT NULL,
	"disability" boolean DEFAULT false NOT NULL,
	"care_level" text DEFAULT 'selfCare' NOT NULL,
	"chronic_enc" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "device_alerts" ADD CONSTRAINT "device_alerts_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_resident_id_residents_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."residents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_grid_id_org_units_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elder_contacts" ADD CONSTRAINT "elder_contacts_resident_id_residents_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."residents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elder_profiles" ADD CONSTRAINT "elder_profiles_resident_id_residents_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."residents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "device_alerts_one_open_idx" ON "device_alerts" USING btree ("device_id","kind") WHERE "device_alerts"."status" <> 'closed';--> statement-breakpoint
CREATE INDEX "device_alerts_status_idx" ON "device_alerts" USING btree ("status","opened_at");--> statement-breakpoint
CREATE INDEX "device_alerts_org_path_idx" ON "device_alerts" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "devices_imei_idx" ON "devices" USING btree ("imei");--> statement-breakpoint
CREATE INDEX "devices_org_path_idx" ON "devices" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "elder_contacts_resident_idx" ON "elder_contacts" USING btree ("resident_id","sort");