CREATE TABLE "social_org_incubations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"social_org_id" uuid NOT NULL,
	"stage" text NOT NULL,
	"on" date NOT NULL,
	"base" text,
	"note" text,
	"actor_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "social_orgs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"credit_code" text,
	"registration_authority" text NOT NULL,
	"registered_on" date NOT NULL,
	"org_unit_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"fields" jsonb NOT NULL,
	"services" text NOT NULL,
	"legal_representative" text NOT NULL,
	"contact_name" text NOT NULL,
	"contact_phone_enc" text NOT NULL,
	"staff_count" integer NOT NULL,
	"volunteer_count" integer NOT NULL,
	"incubation_stage" text,
	"incubation_since" date,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "social_orgs_counts_check" CHECK ("social_orgs"."staff_count" >= 0 and "social_orgs"."volunteer_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "social_project_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"actor_id" uuid,
	"note" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "social_project_milestones" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"title" text NOT NULL,
	"due_on" date NOT NULL,
	"done_on" date,
	"note" text,
	"file_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"done_by" uuid
);
--> statement-breakpoint
CREATE TABLE "social_project_spendings" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"item" text NOT NULL,
	"amount_fen" integer NOT NULL,
	"spent_on" date NOT NULL,
	"idempotency_key" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "social_project_spendings_amount_check" CHECK ("social_project_spendings"."amount_fen" > 0)
);
--> statement-breakpoint
CREATE TABLE "social_projects" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"social_org_id" uuid NOT NULL,
	"title" text NOT NULL,
	"summary" text,
	"org_unit_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"amount_fen" integer NOT NULL,
	"budget_fen" integer,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"status" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "social_projects_period_check" CHECK ("social_projects"."ends_on" >= "social_projects"."starts_on"),
	CONSTRAINT "social_projects_money_check" CHECK ("social_projects"."amount_fen" > 0 and ("social_projects"."budget_fen" is null or ("social_projects"."budget_fen" > 0 and "social_projects"."budget_fen" <= "social_projects"."amount_fen")))
);
--> statement-breakpoint
ALTER TABLE "social_org_incubations" ADD CONSTRAINT "social_org_incubations_social_org_id_social_orgs_id_fk" FOREIGN KEY ("social_org_id") REFERENCES "public"."social_orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "social_org_incubations" ADD CONSTRAINT "social_org_incubations_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "social_orgs" ADD CONSTRAINT "social_orgs_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "social_orgs" ADD CONSTRAINT "social_orgs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "social_project_events" ADD CONSTRAINT "social_project_events_project_id_social_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."social_projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "social_project_events" ADD CONSTRAINT "social_project_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "social_project_milestones" ADD CONSTRAINT "social_project_milestones_project_id_social_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."social_projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "social_project_milestones" ADD CONSTRAINT "social_project_milestones_done_by_users_id_fk" FOREIGN KEY ("done_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "social_project_spendings" ADD CONSTRAINT "social_project_spendings_project_id_social_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."social_projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "social_project_spendings" ADD CONSTRAINT "social_project_spendings_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "social_projects" ADD CONSTRAINT "social_projects_social_org_id_social_orgs_id_fk" FOREIGN KEY ("social_org_id") REFERENCES "public"."social_orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "social_projects" ADD CONSTRAINT "social_projects_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "social_projects" ADD CONSTRAINT "social_projects_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "social_org_incubations_stage_idx" ON "social_org_incubations" USING btree ("social_org_id","stage");--> statement-breakpoint
CREATE UNIQUE INDEX "social_orgs_credit_code_idx" ON "social_orgs" USING btree ("credit_code");--> statement-breakpoint
CREATE UNIQUE INDEX "social_orgs_name_unit_idx" ON "social_orgs" USING btree ("name","org_unit_id");--> statement-breakpoint
CREATE INDEX "social_orgs_path_idx" ON "social_orgs" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "social_project_events_project_idx" ON "social_project_events" USING btree ("project_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "social_project_milestones_seq_idx" ON "social_project_milestones" USING btree ("project_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "social_project_spendings_idempotency_idx" ON "social_project_spendings" USING btree ("project_id","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "social_projects_idempotency_idx" ON "social_projects" USING btree ("created_by","idempotency_key");--> statement-breakpoint
CREATE INDEX "social_projects_path_idx" ON "social_projects" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "social_projects_org_idx" ON "social_projects" USING btree ("social_org_id");