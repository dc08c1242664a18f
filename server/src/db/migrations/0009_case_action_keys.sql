ALTER TABLE "case_events" ADD COLUMN "client_key" text;--> statement-breakpoint
CREATE UNIQUE INDEX "case_events_client_key_idx" ON "case_events" USING btree ("case_id","client_key");