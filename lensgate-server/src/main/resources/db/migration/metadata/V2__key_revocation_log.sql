-- Cross-process key revocation signal (CONTRACT §3: revocation takes effect on the next request).
-- Every revoke/rotate bumps the single revision row and appends one key_revocations row, in the
-- transaction that changes api_keys. Each gateway polls "revision > last seen" (primary key range,
-- usually empty) and evicts/publishes the named keys. The UPDATE of the revision row holds its row
-- lock until commit, so revisions commit in increasing order and a poller never skips one.
-- Portable across H2 2.x and PostgreSQL 13+, like V1.

CREATE TABLE key_revocation_clock (
  id        INTEGER NOT NULL,
  revision  BIGINT  NOT NULL,
  CONSTRAINT pk_key_revocation_clock PRIMARY KEY (id),
  CONSTRAINT ck_key_revocation_clock_single CHECK (id = 1)
);
INSERT INTO key_revocation_clock (id, revision) VALUES (1, 0);

-- No foreign key to api_keys: the signal must survive a key row being purged.
CREATE TABLE key_revocations (
  revision      BIGINT      NOT NULL,
  key_id        VARCHAR(32) NOT NULL,
  key_type      VARCHAR(2)  NOT NULL,
  effective_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  recorded_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT pk_key_revocations PRIMARY KEY (revision),
  CONSTRAINT ck_key_revocations_type CHECK (key_type IN ('sk', 'pk', 'ik', 'rk', 'lp'))
);
