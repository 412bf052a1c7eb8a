-- Version 15: message idempotency keys and alert cooldowns (in memory with the file store), keyed
-- by org like every org's data.

-- A send claimed by its key; receipt: the gateway's answer (SendReceipt as JSON) once it came.
-- A claim without a receipt is a send under way (or one whose process died: taken over later).
CREATE TABLE idempotent_send (
  org        text COLLATE "C" NOT NULL REFERENCES org ON DELETE CASCADE,
  key        text COLLATE "C" NOT NULL,
  claimed_at timestamptz NOT NULL,
  receipt    text CHECK (receipt IS NULL OR receipt::json IS NOT NULL),
  PRIMARY KEY (org, key)
);
CREATE INDEX idempotent_send_by_time ON idempotent_send (claimed_at);

-- The last alert of one (org, kind) that went out, and how many were held back since.
CREATE TABLE alert_cooldown (
  org        text COLLATE "C" NOT NULL REFERENCES org ON DELETE CASCADE,
  kind       text COLLATE "C" NOT NULL,
  sent_at    timestamptz NOT NULL,
  suppressed int NOT NULL CHECK (suppressed >= 0),
  PRIMARY KEY (org, kind)
);
