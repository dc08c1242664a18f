CREATE TABLE "deliberation_attendances" (
	"deliberation_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	CONSTRAINT "deliberation_attendances_deliberation_id_member_id_pk" PRIMARY KEY("deliberation_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "deliberation_comments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"deliberation_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"body" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"hidden_at" timestamp with time zone,
	"hidden_by" uuid,
	"hidden_reason" text,
	"hidden_note" text
);
--> statement-breakpoint
CREATE TABLE "deliberation_suggestions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_unit_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"posted_by" uuid NOT NULL,
	"idempotency_key" text NOT NULL,
	"support_count" integer DEFAULT 0 NOT NULL,
	"deliberation_id" uuid,
	"proposed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deliberation_suggestions_support_check" CHECK ("deliberation_suggestions"."support_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "deliberation_supports" (
	"suggestion_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deliberation_supports_suggestion_id_user_id_pk" PRIMARY KEY("suggestion_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "street_council_members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"council_id" integer NOT NULL,
	"name" text NOT NULL,
	"category" text NOT NULL,
	"affiliation" text,
	"phone_enc" text,
	"phone_tail" text,
	"joined_on" text NOT NULL,
	"left_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "street_councils" (
	"id" serial PRIMARY KEY NOT NULL,
	"street_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"name" text NOT NULL,
	"term_start" text NOT NULL,
	"term_end" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "deliberation_attendances" ADD CONSTRAINT "deliberation_attendances_deliberation_id_deliberations_id_fk" FOREIGN KEY ("deliberation_id") REFERENCES "public"."deliberations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliberation_attendances" ADD CONSTRAINT "deliberation_attendances_member_id_street_council_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."street_council_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliberation_comments" ADD CONSTRAINT "deliberation_comments_deliberation_id_deliberations_id_fk" FOREIGN KEY ("deliberation_id") REFERENCES "public"."deliberations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliberation_comments" ADD CONSTRAINT "deliberation_comments_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliberation_comments" ADD CONSTRAINT "deliberation_comments_hidden_by_users_id_fk" FOREIGN KEY ("hidden_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliberation_suggestions" ADD CONSTRAINT "deliberation_suggestions_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliberation_suggestions" ADD CONSTRAINT "deliberation_suggestions_posted_by_users_id_fk" FOREIGN KEY ("posted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliberation_suggestions" ADD CONSTRAINT "deliberation_suggestions_deliberation_id_deliberations_id_fk" FOREIGN KEY ("deliberation_id") REFERENCES "public"."deliberations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliberation_supports" ADD CONSTRAINT "deliberation_supports_suggestion_id_deliberation_suggestions_id_fk" FOREIGN KEY ("suggestion_id") REFERENCES "public"."deliberation_suggestions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliberation_supports" ADD CONSTRAINT "deliberation_supports_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "street_council_members" ADD CONSTRAINT "street_council_members_council_id_street_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."street_councils"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "street_councils" ADD CONSTRAINT "street_councils_street_id_org_units_id_fk" FOREIGN KEY ("street_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "deliberation_comments_idempotency_idx" ON "deliberation_comments" USING btree ("author_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "deliberation_comments_deliberation_idx" ON "deliberation_comments" USING btree ("deliberation_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "deliberation_suggestions_idempotency_idx" ON "deliberation_suggestions" USING btree ("posted_by","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "deliberation_suggestions_deliberation_idx" ON "deliberation_suggestions" USING btree ("deliberation_id");--> statement-breakpoint
CREATE INDEX "deliberation_suggestions_path_idx" ON "deliberation_suggestions" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "deliberation_suggestions_support_idx" ON "deliberation_suggestions" USING btree ("org_unit_id","support_count");--> statement-breakpoint
CREATE INDEX "street_council_members_council_idx" ON "street_council_members" USING btree ("council_id");--> statement-breakpoint
CREATE UNIQUE INDEX "street_councils_street_idx" ON "street_councils" USING btree ("street_id");--> statement-breakpoint
CREATE INDEX "street_councils_path_idx" ON "street_councils" USING btree ("org_path" text_pattern_ops);