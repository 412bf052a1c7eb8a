-- Version 21: admin tokens for the command-line tools (accounts/tokens.json with the file store).
-- Never edit an applied version: change the schema with a new V<n>__<what>.sql.
--
-- hash: hex SHA-256 of the token (AdminTokens.hash); the token itself is shown once and never
-- stored. user_stamp: a hash of the admin's password hash when the token was made; a token
-- speaks for username only while that user exists, is an admin and has that stamp, so removing,
-- demoting or changing the password of the admin ends it, as with the file store. No foreign
-- key to app_user, for the same reason: the rows stay (listed, revocable) and are judged on use.
CREATE TABLE admin_token (
  id         text COLLATE "C" PRIMARY KEY,
  username   text COLLATE "C" NOT NULL,
  hash       text NOT NULL UNIQUE,
  user_stamp text NOT NULL,
  created_at timestamptz NOT NULL,
  label      text
);
