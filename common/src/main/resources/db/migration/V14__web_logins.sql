-- Version 14: what the file store keeps in memory and a restart forgets: web logins and the
-- login throttle. A person's, not an org's: keyed by user name.

-- id_hash: hex SHA-256 of the login cookie's value, so the database never holds a cookie that
-- would log someone in.
CREATE TABLE web_login (
  id_hash    text PRIMARY KEY,
  username   text COLLATE "C" NOT NULL,
  xsrf_token text NOT NULL,
  last_seen  timestamptz NOT NULL
);
CREATE INDEX web_login_by_user ON web_login (username);
CREATE INDEX web_login_by_last_seen ON web_login (last_seen);

-- One row per login attempt not (yet) followed by a success, per user name and client address.
CREATE TABLE login_failure (
  username text NOT NULL,
  address  text NOT NULL,
  at       timestamptz NOT NULL
);
CREATE INDEX login_failure_by_pair ON login_failure (username, address, at);
CREATE INDEX login_failure_by_time ON login_failure (at);
