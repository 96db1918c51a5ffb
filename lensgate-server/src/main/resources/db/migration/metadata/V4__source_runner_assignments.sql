-- Runner assignments made by the CLI (`lensgate sources assign`, issue 3): which runners serve a
-- source of an environment. For that source they replace the config's `sources.<name>.runners`
-- list; a source with no row here follows its config. One row per (env, source, runner); the
-- foreign key to runners means only existing runners can be assigned. Portable like V1.

CREATE TABLE source_runner_assignments (
  env_id       VARCHAR(32) NOT NULL,
  source_name  VARCHAR(63) NOT NULL,
  runner_id    VARCHAR(32) NOT NULL,
  assigned_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT pk_source_runner_assignments PRIMARY KEY (env_id, source_name, runner_id),
  CONSTRAINT fk_source_runner_assignments_env FOREIGN KEY (env_id) REFERENCES environments (id),
  CONSTRAINT fk_source_runner_assignments_runner FOREIGN KEY (runner_id) REFERENCES runners (id)
);
