-- Vigía's PostgreSQL schema, version 1: each org's WhatsApp auth state, its archive and the
-- fencing epoch of its session runs (DESIGN §6). Applied once by Flyway (PgSchema); never edit
-- an applied version: change the schema with a new V<n>__<what>.sql.
--
-- Every table is keyed by org and hangs off "org" with ON DELETE CASCADE (as whatsmeow's SQL
-- store hangs everything off its device): forgetting an org entirely is one DELETE FROM org.
-- Identifiers and key ids are COLLATE "C": byte order, the same on every server, and a
-- LIKE 'prefix%' on them can use the primary key.

CREATE TABLE org (
  org        text COLLATE "C" PRIMARY KEY CHECK (org ~ '^[A-Za-z0-9_-]{1,64}$'),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The writer epoch of the org's session runs (fencing): opening a writer or clearing the org
-- adds one; a write carrying an older epoch is refused. Cluster mode adds the owner's lease to
-- the same row (owner_node, lease_until): null while one node holds everything.
CREATE TABLE session_lease (
  org         text COLLATE "C" PRIMARY KEY REFERENCES org ON DELETE CASCADE,
  epoch       bigint NOT NULL CHECK (epoch > 0),
  owner_node  text,
  lease_until timestamptz
);

-- An org's live auth state: one row while it has any (creds may still be missing), its keys
-- below it; clearing moves both into the archive and deletes this row (the keys go with it).
CREATE TABLE auth_state (
  org        text COLLATE "C" PRIMARY KEY REFERENCES org ON DELETE CASCADE,
  creds      text CHECK (creds IS NULL OR creds::json IS NOT NULL),  -- creds.json's text
  last_write timestamptz NOT NULL
);

-- Baileys' keys.set/keys.get: one row per (type, id), the value exactly as Baileys'
-- JSON.stringify(value, BufferJSON.replacer) wrote it (text, never re-encoded, so it reads back
-- byte for byte). The id is the one useMultiFileAuthState's file name stands for (fixFileName
-- maps '/' and ':'), so keys alias exactly as in the file store and a data dir moves both ways.
CREATE TABLE auth_key (
  org   text COLLATE "C" NOT NULL REFERENCES auth_state ON DELETE CASCADE,
  type  text COLLATE "C" NOT NULL,
  id    text COLLATE "C" NOT NULL,
  value text NOT NULL CHECK (value::json IS NOT NULL),
  PRIMARY KEY (org, type, id)
);

-- Cleared auth states (never destroyed by a clear; purged after VIGIA_ARCHIVE_DAYS).
CREATE TABLE auth_archive (
  org         text COLLATE "C" NOT NULL REFERENCES org ON DELETE CASCADE,
  archive_id  bigint GENERATED ALWAYS AS IDENTITY,
  archived_at timestamptz NOT NULL,
  reason      text NOT NULL,
  creds       text,
  last_write  timestamptz NOT NULL,
  PRIMARY KEY (org, archive_id)
);
CREATE INDEX auth_archive_by_time ON auth_archive (archived_at);

CREATE TABLE auth_archive_key (
  org        text COLLATE "C" NOT NULL,
  archive_id bigint NOT NULL,
  type       text COLLATE "C" NOT NULL,
  id         text COLLATE "C" NOT NULL,
  value      text NOT NULL,
  PRIMARY KEY (org, archive_id, type, id),
  FOREIGN KEY (org, archive_id) REFERENCES auth_archive ON DELETE CASCADE
);
