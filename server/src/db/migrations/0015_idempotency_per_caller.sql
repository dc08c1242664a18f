DROP INDEX "case_events_client_key_idx";--> statement-breakpoint
DROP INDEX "cases_idempotency_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "case_events_client_key_idx" ON "case_events" USING btree ("case_id","actor_id","client_key");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_idempotency_idx" ON "cases" USING btree ("created_by","channel","idempotency_key");