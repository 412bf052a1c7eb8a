-- Vigía's PostgreSQL schema, version 10: the gateway's session records (SessionRecordStore).
-- Versions 2 to 9 are left to other work on the auth state (archives): numbers only order the
-- scripts, and a gap is fine. Every table here is keyed by org and hangs off "org" with
-- ON DELETE CASCADE, as in V1: forgetting an org entirely stays one DELETE FROM org.

-- One row per org: the record exactly as the file store writes sessions/<org>.json (JSON text),
-- so a data dir moves both ways unchanged. Replaced whole by every save.
CREATE TABLE session_record (
  org      text COLLATE "C" PRIMARY KEY REFERENCES org ON DELETE CASCADE,
  record   text NOT NULL CHECK (record::json IS NOT NULL),
  saved_at timestamptz NOT NULL
);
