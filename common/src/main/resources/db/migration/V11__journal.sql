-- Version 11: each org's journal (why its session is in its state). One row per entry, the entry
-- as the JSON line the file store appends to journal/<org>.jsonl; n orders one org's entries
-- (appends of one org are made one after the other), so "newest first" is the key read backwards.
CREATE TABLE journal_entry (
  org   text COLLATE "C" NOT NULL REFERENCES org ON DELETE CASCADE,
  n     bigint GENERATED ALWAYS AS IDENTITY,
  at    timestamptz NOT NULL,
  entry text NOT NULL CHECK (entry::json IS NOT NULL),
  PRIMARY KEY (org, n)
);
