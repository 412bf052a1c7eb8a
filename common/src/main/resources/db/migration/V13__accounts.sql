-- Version 13: the dashboard's accounts. An account org hangs off "org" (its session's data does
-- too); its API keys and memberships hang off the account org, so deleting an org from the
-- accounts takes its keys and memberships in one statement and leaves its journal and stats, as
-- the file store does. Users are not an org's: they hang off nothing.
CREATE TABLE account_org (
  org          text COLLATE "C" PRIMARY KEY REFERENCES org ON DELETE CASCADE,
  name         text NOT NULL,
  alert_emails text[] NOT NULL,
  webhook_url  text,
  language     text NOT NULL
);

-- password_hash: PasswordHasher's PBKDF2 string, never a password.
CREATE TABLE app_user (
  username      text COLLATE "C" PRIMARY KEY,
  password_hash text NOT NULL,
  role          text NOT NULL CHECK (role IN ('admin', 'operator'))
);

-- An operator's orgs, in the order they were given (position).
CREATE TABLE user_org (
  username text COLLATE "C" NOT NULL REFERENCES app_user ON DELETE CASCADE,
  org      text COLLATE "C" NOT NULL REFERENCES account_org ON DELETE CASCADE,
  position int NOT NULL,
  PRIMARY KEY (username, org)
);
CREATE INDEX user_org_by_org ON user_org (org);

-- hash: hex SHA-256 of the key (ApiKeys.hash); the key itself is shown once and never stored.
CREATE TABLE api_key (
  org        text COLLATE "C" NOT NULL REFERENCES account_org ON DELETE CASCADE,
  id         text COLLATE "C" NOT NULL,
  hash       text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  label      text,
  PRIMARY KEY (org, id)
);
