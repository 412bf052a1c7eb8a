-- Version 2: who archived each cleared auth state (issue 9, "undo a clear"): the archive list
-- shows it beside the time and the reason. NULL for archives made before this version, or by a
-- version that did not record it. A restore moves the row back into auth_state and deletes it.

ALTER TABLE auth_archive ADD COLUMN actor text;
