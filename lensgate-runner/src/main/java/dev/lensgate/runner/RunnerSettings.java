package dev.lensgate.runner;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a runner reaches its gateway, validated once at start and immutable after.
 *
 * <p>Read from the environment ({@link #fromEnvironment}): {@code LENSGATE_RUNNER_ID},
 * {@code LENSGATE_RUNNER_TOKEN}, {@code LENSGATE_GATEWAY_URL}, optional {@code LENSGATE_RUNNER_PIN}
 * and {@code LENSGATE_RUNNER_CA_FILE}; the CLI may then override pin, CA file and token file. The
 * token never comes from argv: only the environment or a file.
 *
 * <p>Safe by default: the gateway URL must be {@code wss://}. Plain {@code ws://} is accepted only
 * when the host is loopback and {@link Builder#allowInsecureLoopback} was set — never silently.
 */
public final class RunnerSettings {
  public static final String ENV_ID = "LENSGATE_RUNNER_ID";
  public static final String ENV_TOKEN = "LENSGATE_RUNNER_TOKEN";
  public static final String ENV_GATEWAY_URL = "LENSGATE_GATEWAY_URL";
  public static final String ENV_PIN = "LENSGATE_RUNNER_PIN";
  public static final String ENV_CA_FILE = "LENSGATE_RUNNER_CA_FILE";
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(25);
  static final String CONNECT_PATH = "/v1/runner/connect";
  private static final Pattern RUNNER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final long MAX_TOKEN_FILE_BYTES = 4096;

  private final String runnerId;
  private final RunnerToken token;
  private final URI gatewayUrl;
  private final Optional<SpkiPin> pin;
  private final Optional<Path> extraCaFile;
  private final boolean insecureLoopback;
  private final Duration heartbeatInterval;

  private RunnerSettings(Builder b, URI gatewayUrl) {
    this.runnerId = b.runnerId;
    this.token = b.token;
    this.gatewayUrl = gatewayUrl;
    this.pin = Optional.ofNullable(b.pin);
    this.extraCaFile = Optional.ofNullable(b.extraCaFile);
    this.insecureLoopback = b.insecureLoopback;
    this.heartbeatInterval = b.heartbeatInterval;
  }

  /** A builder filled from {@code env}; the caller may override pieces, then {@link Builder#build()}. */
  public static Builder fromEnvironment(Map<String, String> env) {
    Builder b = new Builder();
    value(env, ENV_ID).ifPresent(b::runnerId);
    value(env, ENV_TOKEN).ifPresent(t -> b.token(RunnerToken.of(t)));
    value(env, ENV_GATEWAY_URL).ifPresent(b::gatewayUrl);
    value(env, ENV_PIN).ifPresent(p -> b.pin(SpkiPin.parse(p)));
    value(env, ENV_CA_FILE).ifPresent(f -> b.extraCaFile(Path.of(f)));
    return b;
  }

  public static Builder builder() {
    return new Builder();
  }

  private static Optional<String> value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
  }

  public String runnerId() { return runnerId; }

  public RunnerToken token() { return token; }

  /** The gateway's base URL as configured ({@code wss://host[:port]}); never holds the token. */
  public URI gatewayUrl() { return gatewayUrl; }

  public Optional<SpkiPin> pin() { return pin; }

  public Optional<Path> extraCaFile() { return extraCaFile; }

  public boolean insecureLoopback() { return insecureLoopback; }

  public Duration heartbeatInterval() { return heartbeatInterval; }

  public boolean usesTls() {
    return "wss".equals(gatewayUrl.getScheme());
  }

  /**
   * The upgrade URL. It carries no token: the token goes in {@link #authorizationHeader()}, so that
   * no proxy or server access log that records request lines ever holds it.
   */
  URI connectUri() {
    String base = gatewayUrl.getScheme() + "://" + gatewayUrl.getRawAuthority();
    return URI.create(base + CONNECT_PATH);
  }

  /** The {@code Authorization} header value of the upgrade: build it only to dial, never log it. */
  String authorizationHeader() {
    return "Bearer " + token.reveal();
  }

  @Override
  public String toString() {
    return "RunnerSettings[id=" + runnerId + ", gateway=" + gatewayUrl + ", pin=" + pin.map(SpkiPin::toString).orElse("none") + "]";
  }

  /** Collects settings; {@link #build()} rejects anything unsafe or incomplete. */
  public static final class Builder {
    private String runnerId;
    private RunnerToken token;
    private String gatewayUrl;
    private SpkiPin pin;
    private Path extraCaFile;
    private boolean insecureLoopback;
    private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;

    private Builder() {}

    public Builder runnerId(String id) {
      this.runnerId = id;
      return this;
    }

    public Builder token(RunnerToken t) {
      this.token = Objects.requireNonNull(t, "token");
      return this;
    }

    /**
     * Reads the token from a file (first line, trimmed).
     *
     * @throws IllegalArgumentException if the file cannot be read or holds no rk_ token
     */
    public Builder tokenFile(Path file) {
      try {
        if (Files.size(file) > MAX_TOKEN_FILE_BYTES) {
          throw new IllegalArgumentException("the token file is too large to hold one token");
        }
        String content = Files.readString(file, StandardCharsets.UTF_8);
        int nl = content.indexOf('\n');
        return token(RunnerToken.of(nl < 0 ? content : content.substring(0, nl)));
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read the token file " + file, e);
      }
    }

    public Builder gatewayUrl(String url) {
      this.gatewayUrl = url;
      return this;
    }

    public Builder pin(SpkiPin p) {
      this.pin = p;
      return this;
    }

    public Builder extraCaFile(Path file) {
      this.extraCaFile = file;
      return this;
    }

    /** Permits {@code ws://} — only to a loopback host, for local development and tests. */
    public Builder allowInsecureLoopback(boolean allow) {
      this.insecureLoopback = allow;
      return this;
    }

    public Builder heartbeatInterval(Duration interval) {
      if (interval.isNegative() || interval.isZero() || interval.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException("heartbeat interval must be between 0 and 10 minutes");
      }
      this.heartbeatInterval = interval;
      return this;
    }

    /** @throws IllegalArgumentException naming the missing or bad setting */
    public RunnerSettings build() {
      if (runnerId == null || !RUNNER_ID.matcher(runnerId).matches()) {
        throw new IllegalArgumentException(ENV_ID + " must be set to the runner id (letters, digits, '_', '.', '-')");
      }
      if (token == null) {
        throw new IllegalArgumentException(ENV_TOKEN + " or --token-file must provide the runner token");
      }
      if (gatewayUrl == null) {
        throw new IllegalArgumentException(ENV_GATEWAY_URL + " must be set (wss://host[:port])");
      }
      if (extraCaFile != null && !Files.isReadable(extraCaFile)) {
        throw new IllegalArgumentException("the CA file " + extraCaFile + " is not readable");
      }
      return new RunnerSettings(this, checkedUrl(gatewayUrl, insecureLoopback));
    }

    private static URI checkedUrl(String text, boolean insecureLoopback) {
      URI uri;
      try {
        uri = new URI(text);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(ENV_GATEWAY_URL + " is not a URL");
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
        throw new IllegalArgumentException(ENV_GATEWAY_URL + " must be wss://host[:port] without credentials or query");
      }
      if (scheme.equals("ws")) {
        if (!insecureLoopback || !isLoopback(uri.getHost())) {
          throw new IllegalArgumentException("ws:// is refused: use wss://, or --insecure-loopback with a loopback gateway");
        }
      } else if (!scheme.equals("wss")) {
        throw new IllegalArgumentException(ENV_GATEWAY_URL + " must start with wss://");
      }
      String path = uri.getRawPath();
      if (path != null && !path.isEmpty() && !path.equals("/") && !path.equals(CONNECT_PATH)) {
        throw new IllegalArgumentException(ENV_GATEWAY_URL + " must be the gateway's base URL");
      }
      return URI.create(scheme + "://" + uri.getRawAuthority());
    }

    /** Literal loopback only: a name other than localhost is not resolved (DNS could say anything). */
    static boolean isLoopback(String host) {
      String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
      if (h.equalsIgnoreCase("localhost")) {
        return true;
      }
      if (!IPV4.matcher(h).matches() && !h.contains(":")) {
        return false;
      }
      try {
        return InetAddress.getByName(h).isLoopbackAddress();
      } catch (UnknownHostException e) {
        return false;
      }
    }
  }
}
