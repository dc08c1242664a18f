-- The roll-up rows of a day and street are shared by every case reported there that day:
-- updating them at the end of the transaction, not at each row change, keeps their row locks
-- (and so the wait of concurrent writers) as short as the commit.
DROP TRIGGER IF EXISTS cases_stats ON cases;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER cases_stats AFTER INSERT OR UPDATE OR DELETE ON cases
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cases_stats_trigger();
