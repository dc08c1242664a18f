CREATE TABLE "care_case_workers" (
	"case_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "care_case_workers_case_id_user_id_pk" PRIMARY KEY("case_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "care_cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"resident_id" uuid,
	"category_code" text NOT NULL,
	"risk_level" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"grid_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"plan" text,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"close_reason" text,
	"last_visit_at" timestamp with time zone,
	"next_visit_due" timestamp with time zone,
	"anonymised_at" timestamp with time zone,
	"created_by" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "care_categories" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"visit_days" jsonb NOT NULL,
	"retention_days" integer DEFAULT 1095 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "care_visits" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"visited_at" timestamp with time zone NOT NULL,
	"place" text NOT NULL,
	"notes" text NOT NULL,
	"photo_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"by_user_id" uuid NOT NULL,
	"by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "buildings" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"type" text DEFAULT 'residential' NOT NULL,
	"floors" integer DEFAULT 1 NOT NULL,
	"grid_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"lng" double precision NOT NULL,
	"lat" double precision NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "facilities" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"type_code" text NOT NULL,
	"name" text NOT NULL,
	"state" text DEFAULT 'normal' NOT NULL,
	"grid_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"lng" double precision NOT NULL,
	"lat" double precision NOT NULL,
	"owner" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "households" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"housing_unit_id" integer,
	"grid_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"kind" text DEFAULT 'family' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "housing_units" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"building_id" integer NOT NULL,
	"unit_no" integer NOT NULL,
	"floor" integer NOT NULL,
	"room" text NOT NULL,
	"use" text DEFAULT 'ownerOccupied' NOT NULL,
	"area" real,
	"org_path" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"credit_code" text NOT NULL,
	"kind" text NOT NULL,
	"address" text NOT NULL,
	"building_id" integer,
	"grid_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"lng" double precision,
	"lat" double precision,
	"contact_name" text,
	"contact_phone_enc" text,
	"contact_phone_idx" text,
	"employees" integer,
	"notes" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "residents" ADD COLUMN "household_id" integer;--> statement-breakpoint
ALTER TABLE "care_case_workers" ADD CONSTRAINT "care_case_workers_case_id_care_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."care_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_cases" ADD CONSTRAINT "care_cases_resident_id_residents_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."residents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_cases" ADD CONSTRAINT "care_cases_category_code_care_categories_code_fk" FOREIGN KEY ("category_code") REFERENCES "public"."care_categories"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_cases" ADD CONSTRAINT "care_cases_grid_id_org_units_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_visits" ADD CONSTRAINT "care_visits_case_id_care_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."care_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buildings" ADD CONSTRAINT "buildings_grid_id_org_units_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "facilities" ADD CONSTRAINT "facilities_grid_id_org_units_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_housing_unit_id_housing_units_id_fk" FOREIGN KEY ("housing_unit_id") REFERENCES "public"."housing_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_grid_id_org_units_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "housing_units" ADD CONSTRAINT "housing_units_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_grid_id_org_units_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "care_case_workers_user_idx" ON "care_case_workers" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "care_cases_path_idx" ON "care_cases" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "care_cases_resident_idx" ON "care_cases" USING btree ("resident_id");--> statement-breakpoint
CREATE INDEX "care_cases_due_idx" ON "care_cases" USING btree ("next_visit_due") WHERE "care_cases"."status" = 'open';--> statement-breakpoint
CREATE INDEX "care_visits_case_idx" ON "care_visits" USING btree ("case_id","visited_at");--> statement-breakpoint
CREATE UNIQUE INDEX "buildings_code_idx" ON "buildings" USING btree ("code");--> statement-breakpoint
CREATE INDEX "buildings_path_idx" ON "buildings" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "buildings_grid_idx" ON "buildings" USING btree ("grid_id");--> statement-breakpoint
CREATE UNIQUE INDEX "facilities_code_idx" ON "facilities" USING btree ("code");--> statement-breakpoint
CREATE INDEX "facilities_path_idx" ON "facilities" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "households_code_idx" ON "households" USING btree ("code");--> statement-breakpoint
CREATE INDEX "households_unit_idx" ON "households" USING btree ("housing_unit_id");--> statement-breakpoint
CREATE INDEX "households_path_idx" ON "households" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "housing_units_code_idx" ON "housing_units" USING btree ("code");--> statement-breakpoint
CREATE INDEX "housing_units_building_idx" ON "housing_units" USING btree ("building_id","unit_no","floor","room");--> statement-breakpoint
CREATE INDEX "housing_units_path_idx" ON "housing_units" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "organizations_credit_code_idx" ON "organizations" USING btree ("credit_code");--> statement-breakpoint
CREATE INDEX "organizations_path_idx" ON "organizations" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "organizations_name_trgm_idx" ON "organizations" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "residents_household_idx" ON "residents" USING btree ("household_id");