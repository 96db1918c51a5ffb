package dev.lensgate.server.store;

import dev.lensgate.core.config.ConfigLoader;
import dev.lensgate.core.config.ConfigResult;
import dev.lensgate.core.config.CredentialsMode;
import dev.lensgate.core.config.SourceConfig;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Pushed configurations, content-addressed per environment. A push of the active text is a no-op;
 * a push of an earlier text re-activates its row. Pushes to one environment are serialized by
 * locking its {@code environments} row, which keeps exactly one active row per environment.
 * Validation of the YAML is the caller's job (it is stored as given).
 *
 * <p>Switching a source to {@code credentials: runner-local} wipes its stored credentials: every
 * push (changed or not) deletes, in the same transaction, the {@code sources} rows of the
 * environment named by a runner-local source of the pushed config, and reports them in
 * {@link PushResult#wipedCredentials()}. The gateway then has nothing to ship or leak for them.
 *
 * <p>Thread-safe.
 */
public final class ConfigStore {
  public static final int MAX_CONFIG_BYTES = 1 << 20;

  private final Jdbc jdbc;
  private final Clock clock;
  private final Ids ids = new Ids();

  public ConfigStore(DataSource dataSource, Clock clock) {
    this.jdbc = new Jdbc(Objects.requireNonNull(dataSource, "dataSource"));
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Makes {@code yaml} the active config of {@code envId}.
   *
   * @throws LensgateException {@code INVALID_REQUEST} for an unknown environment or a config over 1 MiB
   */
  public PushResult push(String envId, String yaml) {
    Objects.requireNonNull(yaml, "yaml");
    byte[] bytes = yaml.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_CONFIG_BYTES) {
      throw new LensgateException(ErrorCode.INVALID_REQUEST, "config is larger than 1 MiB");
    }
    String hash = sha256Hex(bytes);
    List<String> runnerLocal = runnerLocalSources(yaml);
    Instant now = StoreTime.now(clock);
    return jdbc.inTransaction("push config", c -> {
      if (Jdbc.queryOne(c, "SELECT id FROM environments WHERE id = ? FOR UPDATE", rs -> rs.getString(1), envId).isEmpty()) {
        throw new LensgateException(ErrorCode.INVALID_REQUEST, "unknown environment");
      }
      List<String> wiped = new ArrayList<>();
      for (String source : runnerLocal) {
        if (Jdbc.update(c, "DELETE FROM sources WHERE env_id = ? AND name = ?", envId, source) > 0) {
          wiped.add(source);
        }
      }
      Optional<ActiveConfig> current = active(c, envId);
      if (current.isPresent() && current.get().hash().equals(hash)) {
        return new PushResult(false, hash, current.map(ActiveConfig::yaml), wiped);
      }
      Jdbc.update(c, "UPDATE env_configs SET active = ? WHERE env_id = ? AND active = ?", false, envId, true);
      int reactivated = Jdbc.update(c, "UPDATE env_configs SET active = ?, pushed_at = ? WHERE env_id = ? AND content_hash = ?",
          true, now, envId, hash);
      if (reactivated == 0) {
        Jdbc.update(c, "INSERT INTO env_configs (id, env_id, content_hash, yaml_text, pushed_at, active) "
            + "VALUES (?, ?, ?, ?, ?, ?)", ids.next(), envId, hash, yaml, now, true);
      }
      return new PushResult(true, hash, current.map(ActiveConfig::yaml), wiped);
    });
  }

  /** The active config of {@code envId}, if one was ever pushed. */
  public Optional<ActiveConfig> active(String envId) {
    return jdbc.run("read active config", c -> active(c, envId));
  }

  private static Optional<ActiveConfig> active(Connection c, String envId) throws SQLException {
    return Jdbc.queryOne(c, "SELECT content_hash, yaml_text, pushed_at FROM env_configs WHERE env_id = ? AND active = ?",
        rs -> new ActiveConfig(envId, rs.getString(1), rs.getString(2), Jdbc.instant(rs, "pushed_at")), envId, true);
  }

  /** Names of the {@code credentials: runner-local} sources of {@code yaml}, sorted; none if it does not parse. */
  static List<String> runnerLocalSources(String yaml) {
    ConfigResult parsed = ConfigLoader.parse(yaml, "pushed config");
    if (parsed.config().isEmpty()) {
      return List.of();
    }
    return parsed.config().get().sources().values().stream()
        .filter(s -> s.credentials() == CredentialsMode.RUNNER_LOCAL)
        .map(SourceConfig::name).sorted().toList();
  }

  static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
