-- Runners (CONTRACT §7, issue 3): an org-scoped identity bound to one rk_ key, and the job ledger.
-- The ledger holds counts and codes only, never parameters or row contents; rows are kept 90 days.
-- Portable across H2 2.x and PostgreSQL 13+, like V1.

CREATE TABLE runners (
  id                 VARCHAR(32)  NOT NULL,
  org_id             VARCHAR(32)  NOT NULL,
  name               VARCHAR(63)  NOT NULL,
  key_id             VARCHAR(32)  NOT NULL,
  created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
  last_heartbeat_at  TIMESTAMP WITH TIME ZONE,
  version            VARCHAR(64),
  CONSTRAINT pk_runners PRIMARY KEY (id),
  CONSTRAINT fk_runners_org FOREIGN KEY (org_id) REFERENCES orgs (id),
  CONSTRAINT fk_runners_key FOREIGN KEY (key_id) REFERENCES api_keys (id),
  CONSTRAINT uq_runners_org_name UNIQUE (org_id, name),
  CONSTRAINT uq_runners_key UNIQUE (key_id)
);

-- No foreign keys: ledger rows outlive runners and environments for their retention period.
CREATE TABLE runner_jobs (
  id           VARCHAR(32)  NOT NULL,
  runner_id    VARCHAR(32),
  env_id       VARCHAR(32)  NOT NULL,
  source_name  VARCHAR(128) NOT NULL,
  kind         VARCHAR(8)   NOT NULL,
  status       VARCHAR(16)  NOT NULL,
  duration_ms  BIGINT       NOT NULL,
  row_count    BIGINT       NOT NULL,
  error_code   VARCHAR(64),
  created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT pk_runner_jobs PRIMARY KEY (id),
  CONSTRAINT ck_runner_jobs_kind CHECK (kind IN ('query', 'count', 'read', 'test')),
  CONSTRAINT ck_runner_jobs_status CHECK (status IN ('succeeded', 'failed', 'timed_out'))
);
CREATE INDEX ix_runner_jobs_created ON runner_jobs (created_at);
CREATE INDEX ix_runner_jobs_env_created ON runner_jobs (env_id, created_at);
