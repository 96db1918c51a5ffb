-- Lensgate metadata store, version 1. Portable across H2 2.x and PostgreSQL 13+:
-- only VARCHAR/TEXT/INTEGER/BIGINT/BOOLEAN/TIMESTAMP WITH TIME ZONE, named constraints, no
-- vendor upserts. Binary values (hashes, ciphertexts) are stored as base64url text.
-- Never stored here: master key material, peppers, API key plaintexts, source passwords in clear.

CREATE TABLE orgs (
  id          VARCHAR(32)  NOT NULL,
  slug        VARCHAR(63)  NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT pk_orgs PRIMARY KEY (id),
  CONSTRAINT uq_orgs_slug UNIQUE (slug)
);

CREATE TABLE environments (
  id          VARCHAR(32)  NOT NULL,
  org_id      VARCHAR(32)  NOT NULL,
  slug        VARCHAR(63)  NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT pk_environments PRIMARY KEY (id),
  CONSTRAINT fk_environments_org FOREIGN KEY (org_id) REFERENCES orgs (id),
  CONSTRAINT uq_environments_org_slug UNIQUE (org_id, slug)
);

-- One row per API key. sk/pk/ik/rk: secret_hmac = HMAC-SHA-256 under the type's pepper (unique,
-- the lookup path). lp: the id is the public key id written in the key and secret_bcrypt holds
-- bcrypt(cost 12) of its secret. A rotated key keeps working until expires_at (grace) and points
-- to its successor through replaced_by.
CREATE TABLE api_keys (
  id              VARCHAR(32)   NOT NULL,
  org_id          VARCHAR(32)   NOT NULL,
  env_id          VARCHAR(32),
  key_type        VARCHAR(2)    NOT NULL,
  name            VARCHAR(100)  NOT NULL,
  display_prefix  VARCHAR(100)  NOT NULL,
  display_last4   VARCHAR(4)    NOT NULL,
  secret_hmac     VARCHAR(64),
  secret_bcrypt   VARCHAR(100),
  scopes          VARCHAR(4500) NOT NULL,
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  last_used_at    TIMESTAMP WITH TIME ZONE,
  revoked_at      TIMESTAMP WITH TIME ZONE,
  expires_at      TIMESTAMP WITH TIME ZONE,
  replaced_by     VARCHAR(32),
  CONSTRAINT pk_api_keys PRIMARY KEY (id),
  CONSTRAINT fk_api_keys_org FOREIGN KEY (org_id) REFERENCES orgs (id),
  CONSTRAINT fk_api_keys_env FOREIGN KEY (env_id) REFERENCES environments (id),
  CONSTRAINT uq_api_keys_secret_hmac UNIQUE (secret_hmac),
  CONSTRAINT ck_api_keys_type CHECK (key_type IN ('sk', 'pk', 'ik', 'rk', 'lp')),
  CONSTRAINT ck_api_keys_owner CHECK ((key_type = 'rk' AND env_id IS NULL) OR (key_type <> 'rk' AND env_id IS NOT NULL)),
  CONSTRAINT ck_api_keys_hash CHECK ((key_type = 'lp' AND secret_bcrypt IS NOT NULL AND secret_hmac IS NULL)
                                  OR (key_type <> 'lp' AND secret_hmac IS NOT NULL AND secret_bcrypt IS NULL))
);
CREATE INDEX ix_api_keys_org_env ON api_keys (org_id, env_id);

-- Managed source credentials; password_sealed is an envelope (fresh data key per secret, wrapped by
-- the master key) bound to (env_id, name) by associated data.
CREATE TABLE sources (
  id               VARCHAR(32)   NOT NULL,
  env_id           VARCHAR(32)   NOT NULL,
  name             VARCHAR(63)   NOT NULL,
  jdbc_url         VARCHAR(2000) NOT NULL,
  db_user          VARCHAR(200)  NOT NULL,
  password_sealed  VARCHAR(4000) NOT NULL,
  created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT pk_sources PRIMARY KEY (id),
  CONSTRAINT fk_sources_env FOREIGN KEY (env_id) REFERENCES environments (id),
  CONSTRAINT uq_sources_env_name UNIQUE (env_id, name)
);

-- Pushed configurations, content-addressed per environment; exactly one row per env is active
-- (kept so by ConfigStore, which serializes pushes on the environment row).
CREATE TABLE env_configs (
  id            VARCHAR(32) NOT NULL,
  env_id        VARCHAR(32) NOT NULL,
  content_hash  VARCHAR(64) NOT NULL,
  yaml_text     TEXT        NOT NULL,
  pushed_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  active        BOOLEAN     NOT NULL,
  CONSTRAINT pk_env_configs PRIMARY KEY (id),
  CONSTRAINT fk_env_configs_env FOREIGN KEY (env_id) REFERENCES environments (id),
  CONSTRAINT uq_env_configs_env_hash UNIQUE (env_id, content_hash)
);
CREATE INDEX ix_env_configs_env_active ON env_configs (env_id, active);

-- Request log: deliberately narrow (no bodies, no query values, no header values). No foreign keys,
-- so logging never fails or blocks because of a concurrent delete. Swept after 30 days.
CREATE TABLE request_log (
  request_id      VARCHAR(64)  NOT NULL,
  env_id          VARCHAR(32),
  key_id          VARCHAR(32),
  route_template  VARCHAR(200) NOT NULL,
  status          INTEGER      NOT NULL,
  duration_ms     BIGINT       NOT NULL,
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_request_log_created ON request_log (created_at);
