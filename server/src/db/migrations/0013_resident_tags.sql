CREATE TABLE "resident_tags" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"sort" integer DEFAULT 0 NOT NULL,
	"retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resident_tags_name_unique" UNIQUE("name")
);
--> statement-breakpoint
-- Tags already given (free text before the library existed) enter the library as they are.
INSERT INTO "resident_tags" ("name", "sort")
SELECT t, 100 FROM (SELECT DISTINCT unnest("tags") AS t FROM "residents") x WHERE length(t) BETWEEN 1 AND 20
ON CONFLICT ("name") DO NOTHING;
