CREATE TABLE "household_visits" (
	"id" uuid PRIMARY KEY NOT NULL,
	"household_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"visited_at" timestamp with time zone NOT NULL,
	"notes" text NOT NULL,
	"photo_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"by_user_id" uuid NOT NULL,
	"by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "household_visits_household_idx" ON "household_visits" USING btree ("household_id","visited_at");--> statement-breakpoint
CREATE INDEX "household_visits_user_idx" ON "household_visits" USING btree ("by_user_id","visited_at");