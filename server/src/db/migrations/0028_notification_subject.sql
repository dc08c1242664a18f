ALTER TABLE "notifications" ADD COLUMN "subject_type" text;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "subject_id" uuid;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "link" text;--> statement-breakpoint
UPDATE "notifications" SET "subject_type" = 'case', "subject_id" = "case_id", "link" = '/cases/' || "case_id" WHERE "case_id" IS NOT NULL;
