CREATE TABLE "party_households" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"party_org_id" uuid NOT NULL,
	"org_path" text NOT NULL,
	"household_id" integer NOT NULL,
	"services" text[] DEFAULT '{}'::text[] NOT NULL,
	"neighbours" integer,
	"marked_on" text NOT NULL,
	"marked_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"unmarked_at" timestamp with time zone,
	"unmarked_by" uuid,
	CONSTRAINT "party_households_neighbours_check" CHECK ("party_households"."neighbours" is null or "party_households"."neighbours" >= 0)
);
--> statement-breakpoint
CREATE TABLE "party_members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"party_org_id" uuid NOT NULL,
	"org_path" text NOT NULL,
	"resident_id" uuid,
	"name" text,
	"role" text NOT NULL,
	"joined_on" text,
	"in_service" boolean DEFAULT false NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone,
	"removed_by" uuid,
	CONSTRAINT "party_members_who_check" CHECK ("party_members"."resident_id" is not null or "party_members"."name" is not null)
);
--> statement-breakpoint
CREATE TABLE "party_orgs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"level" text NOT NULL,
	"name" text NOT NULL,
	"parent_id" uuid,
	"org_unit_id" integer NOT NULL,
	"building_id" integer,
	"org_path" text NOT NULL,
	"founded_on" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone,
	CONSTRAINT "party_orgs_level_check" CHECK ("party_orgs"."level" in ('streetCommittee','communityOrg','gridBranch','buildingGroup')),
	CONSTRAINT "party_orgs_building_check" CHECK (("party_orgs"."level" = 'buildingGroup') = ("party_orgs"."building_id" is not null))
);
--> statement-breakpoint
ALTER TABLE "party_households" ADD CONSTRAINT "party_households_member_id_party_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."party_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_households" ADD CONSTRAINT "party_households_party_org_id_party_orgs_id_fk" FOREIGN KEY ("party_org_id") REFERENCES "public"."party_orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_households" ADD CONSTRAINT "party_households_marked_by_users_id_fk" FOREIGN KEY ("marked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_households" ADD CONSTRAINT "party_households_unmarked_by_users_id_fk" FOREIGN KEY ("unmarked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_members" ADD CONSTRAINT "party_members_party_org_id_party_orgs_id_fk" FOREIGN KEY ("party_org_id") REFERENCES "public"."party_orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_members" ADD CONSTRAINT "party_members_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_members" ADD CONSTRAINT "party_members_removed_by_users_id_fk" FOREIGN KEY ("removed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_orgs" ADD CONSTRAINT "party_orgs_parent_id_party_orgs_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."party_orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_orgs" ADD CONSTRAINT "party_orgs_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_orgs" ADD CONSTRAINT "party_orgs_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_orgs" ADD CONSTRAINT "party_orgs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "party_households_org_idx" ON "party_households" USING btree ("party_org_id");--> statement-breakpoint
CREATE INDEX "party_households_path_idx" ON "party_households" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "party_households_member_idx" ON "party_households" USING btree ("member_id") WHERE "party_households"."unmarked_at" is null;--> statement-breakpoint
CREATE INDEX "party_members_org_idx" ON "party_members" USING btree ("party_org_id");--> statement-breakpoint
CREATE INDEX "party_members_path_idx" ON "party_members" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "party_members_resident_idx" ON "party_members" USING btree ("resident_id") WHERE "party_members"."removed_at" is null and "party_members"."resident_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "party_members_name_idx" ON "party_members" USING btree ("party_org_id","name") WHERE "party_members"."removed_at" is null and "party_members"."name" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "party_members_secretary_idx" ON "party_members" USING btree ("party_org_id") WHERE "party_members"."removed_at" is null and "party_members"."role" = 'secretary';--> statement-breakpoint
CREATE INDEX "party_orgs_path_idx" ON "party_orgs" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "party_orgs_parent_idx" ON "party_orgs" USING btree ("parent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "party_orgs_unit_idx" ON "party_orgs" USING btree ("level","org_unit_id") WHERE "party_orgs"."retired_at" is null and "party_orgs"."building_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "party_orgs_building_idx" ON "party_orgs" USING btree ("building_id") WHERE "party_orgs"."retired_at" is null and "party_orgs"."building_id" is not null;