CREATE TABLE "hotline_settings" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"secret_enc" text,
	"secret_hint" text,
	"secret_set_at" timestamp with time zone,
	"callback_url" text,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hotline_settings_one_row" CHECK ("hotline_settings"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "case_routing_suggestions" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"model_id" integer NOT NULL,
	"candidates" jsonb NOT NULL,
	"department_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "routing_models" (
	"id" serial PRIMARY KEY NOT NULL,
	"trained_at" timestamp with time zone DEFAULT now() NOT NULL,
	"trained_on" integer NOT NULL,
	"categories" integer NOT NULL,
	"holdout_n" integer NOT NULL,
	"holdout_top1" real NOT NULL,
	"holdout_top3" real NOT NULL,
	"model" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "case_routing_suggestions" ADD CONSTRAINT "case_routing_suggestions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_routing_suggestions" ADD CONSTRAINT "case_routing_suggestions_model_id_routing_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."routing_models"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_routing_suggestions" ADD CONSTRAINT "case_routing_suggestions_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_routing_suggestions_model_idx" ON "case_routing_suggestions" USING btree ("model_id");