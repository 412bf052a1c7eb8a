-- Version 12: each org's daily counts. Counts are added in SQL (sent = sent + $n), never read,
-- changed and written back, so several nodes may count for the same org and day at once.
CREATE TABLE daily_stats (
  org        text COLLATE "C" NOT NULL REFERENCES org ON DELETE CASCADE,
  day        date NOT NULL,
  sent       bigint NOT NULL DEFAULT 0 CHECK (sent >= 0),
  failed     bigint NOT NULL DEFAULT 0 CHECK (failed >= 0),
  reconnects bigint NOT NULL DEFAULT 0 CHECK (reconnects >= 0),
  PRIMARY KEY (org, day)
);
