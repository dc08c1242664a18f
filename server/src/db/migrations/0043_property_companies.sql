CREATE TABLE "property_companies" (
	"id" serial PRIMARY KEY NOT NULL,
	"department_id" integer NOT NULL,
	"name" text NOT NULL,
	"credit_code" text NOT NULL,
	"contact_name" text NOT NULL,
	"phone_enc" text NOT NULL,
	"phone_tail" text NOT NULL,
	"org_unit_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone,
	CONSTRAINT "property_companies_department_id_unique" UNIQUE("department_id"),
	CONSTRAINT "property_companies_credit_code_unique" UNIQUE("credit_code")
);
--> statement-breakpoint
CREATE TABLE "property_dispatches" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"company_id" integer NOT NULL,
	"estate_id" integer NOT NULL,
	"dispatched_at" timestamp with time zone NOT NULL,
	"respond_by" timestamp with time zone NOT NULL,
	"reply_by" timestamp with time zone NOT NULL,
	"resolve_by" timestamp with time zone NOT NULL,
	"respond_late" boolean DEFAULT false NOT NULL,
	"reply_late" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "property_estates" (
	"id" serial PRIMARY KEY NOT NULL,
	"company_id" integer NOT NULL,
	"name" text NOT NULL,
	"geometry" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "property_companies" ADD CONSTRAINT "property_companies_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "property_companies" ADD CONSTRAINT "property_companies_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "property_dispatches" ADD CONSTRAINT "property_dispatches_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "property_dispatches" ADD CONSTRAINT "property_dispatches_company_id_property_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."property_companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "property_dispatches" ADD CONSTRAINT "property_dispatches_estate_id_property_estates_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."property_estates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "property_estates" ADD CONSTRAINT "property_estates_company_id_property_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."property_companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "property_companies_path_idx" ON "property_companies" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "property_dispatches_case_idx" ON "property_dispatches" USING btree ("case_id","dispatched_at");--> statement-breakpoint
CREATE INDEX "property_dispatches_company_idx" ON "property_dispatches" USING btree ("company_id","dispatched_at");--> statement-breakpoint
CREATE UNIQUE INDEX "property_estates_name_idx" ON "property_estates" USING btree ("company_id","name");