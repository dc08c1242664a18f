-- Audit rows are written unchained and linked by one appender (platform/audit/chain.ts): writers no
-- longer queue behind the chain's lock. chain_seq is a row's place in the chain, walked by verify.
ALTER TABLE "audit_log" ALTER COLUMN "prev_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "chain_seq" bigint;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "entry_mac" text;--> statement-breakpoint
-- The rows written so far were chained as they were written, in id order (under the old lock):
-- their place in the chain is their rank by id. From here on the appender numbers new rows.
UPDATE "audit_log" SET "chain_seq" = r.n
	FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM "audit_log") r
	WHERE "audit_log"."id" = r.id;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_chain_seq_idx" ON "audit_log" USING btree ("chain_seq");--> statement-breakpoint
CREATE INDEX "audit_log_unchained_idx" ON "audit_log" USING btree ("id") WHERE chain_seq is null;