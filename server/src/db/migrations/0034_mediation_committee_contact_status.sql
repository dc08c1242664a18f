ALTER TABLE "mediation_committees" ADD COLUMN "address" text;--> statement-breakpoint
ALTER TABLE "mediation_committees" ADD COLUMN "phone" text;--> statement-breakpoint
ALTER TABLE "mediation_committees" ADD COLUMN "disabled_at" timestamp with time zone;