package dev.lensgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.auth.Operation;
import dev.lensgate.core.auth.Principal;
import dev.lensgate.core.config.ConfigLoader;
import dev.lensgate.core.config.ConfigResult;
import dev.lensgate.core.config.Grant;
import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.config.LensgateConfig;
import dev.lensgate.core.crypto.KeyMaterial;
import dev.lensgate.core.crypto.MasterKeys;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.jwt.DevIssuer;
import dev.lensgate.core.jwt.JwksUserTokenVerifier;
import dev.lensgate.core.keys.KeyHasher;
import dev.lensgate.core.keys.KeyRevocations;
import dev.lensgate.core.keys.PartnerSecretHasher;
import dev.lensgate.core.plan.CursorCodec;
import dev.lensgate.core.plan.QueryRequest;
import dev.lensgate.core.plan.ReadPlanner;
import dev.lensgate.core.rules.CompiledRule;
import dev.lensgate.core.rules.RuleOutcome;
import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.WhereParser;
import dev.lensgate.server.authenticate.KeyAuthenticator;
import dev.lensgate.server.authorize.LensAccess;
import dev.lensgate.server.catalog.EnvironmentCatalog;
import dev.lensgate.server.http.RateLimiter;
import dev.lensgate.server.store.ApiKeyRepository;
import dev.lensgate.server.store.ApiKeyService;
import dev.lensgate.server.store.CreatedKey;
import dev.lensgate.server.store.LastUsedTracker;
import dev.lensgate.server.store.MetadataStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The in-process authorize path, assembled from the real components the way {@code Gateway} wires
 * them: an embedded metadata store holding one {@code pk_} key, the key authenticator with its
 * verification cache, an environment catalog compiled from {@link BenchConfig}'s YAML (CEL rule and
 * a JWKS-file verifier included), {@link LensAccess}, and the read planner. No HTTP, no source.
 *
 * <p>Also exposes each piece on its own (verifier, compiled rule, claims, rule filter) so the
 * benchmark can say where the time goes. Everything is checked once at construction: a fixture
 * that would benchmark a denial fails instead.
 */
final class AuthorizeFixture implements AutoCloseable {
  /** A point query on one row of the caller's organization, as a client would send it. */
  static final long QUERY_ID = 4207;

  private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
  private final Path dataDir;
  final String authorizationHeader;
  final String userToken;
  final KeyAuthenticator authenticator;
  final LensAccess access;
  final ReadPlanner planner;
  final JwksUserTokenVerifier verifier;
  final LensConfig lens;
  final CompiledRule rule;
  final Map<String, Object> claims;
  final JsonNode ruleFilter;
  final Filter parsedRuleFilter;
  final QueryRequest request;
  final Principal principal;

  AuthorizeFixture() {
    Clock clock = Clock.systemUTC();
    try {
      this.dataDir = Files.createTempDirectory("lensgate-bench-authorize-");
      MetadataStore store = own(MetadataStore.open(dataDir, Optional.empty(), Optional.empty(), Optional.empty(),
          MetadataStore.DEFAULT_ORG_SLUG, clock));
      String envId = store.defaultEnvironment().id();

      KeyMaterial material = MasterKeys.ephemeral();
      KeyHasher hasher = new KeyHasher(material);
      PartnerSecretHasher partnerHasher = PartnerSecretHasher.bcrypt();
      KeyRevocations revocations = new KeyRevocations();
      ApiKeyService keys = new ApiKeyService(store.dataSource(), hasher, partnerHasher, revocations, clock);
      CreatedKey pk = keys.create(KeyType.PK, envId, "bench", Set.of());
      this.authorizationHeader = "Bearer " + pk.plaintext().revealUtf8();

      DevIssuer issuer = DevIssuer.generate(BenchConfig.ISSUER, BenchConfig.AUDIENCE, clock);
      Path jwks = dataDir.resolve("jwks.json");
      issuer.writeJwks(jwks);
      this.userToken = issuer.mint("user-7", Map.of("orgId", BenchConfig.orgOf(QUERY_ID)), Duration.ofHours(12));
      String yaml = BenchConfig.yaml(jwks, "jdbc:postgresql://127.0.0.1:5432/unused", null);

      ApiKeyRepository repository = new ApiKeyRepository(store.dataSource());
      LastUsedTracker lastUsed = own(new LastUsedTracker(repository, clock, Duration.ofSeconds(5)));
      this.authenticator = own(new KeyAuthenticator(repository, hasher, partnerHasher, lastUsed, revocations, clock,
          KeyAuthenticator.DEFAULT_CACHE_TTL));
      EnvironmentCatalog catalog = own(new EnvironmentCatalog(
          () -> Map.of(envId, new EnvironmentCatalog.StoredConfig("bench", yaml)), clock, 0));
      this.access = new LensAccess(authenticator, RateLimiter.unlimited(), catalog);
      try (SecretBytes cursorKey = material.cursorKey()) {
        this.planner = new ReadPlanner(new CursorCodec(cursorKey.reveal()));
      }

      LensgateConfig config = compile(yaml);
      this.lens = config.lens(BenchConfig.LENS).orElseThrow();
      this.verifier = JwksUserTokenVerifier.fromSettings(config.jwt().orElseThrow(), clock);
      this.rule = ((Grant.Authenticated) lens.grant(Operation.QUERY).orElseThrow()).rule().orElseThrow();
      ObjectMapper json = new ObjectMapper();
      this.request = QueryRequest.of(json.readTree("{\"id\": " + QUERY_ID + "}"));

      // Warm the key cache (one database lookup), then take every piece's input from a real run.
      this.principal = authenticator.authenticate(authorizationHeader);
      this.claims = verifier.verify(userToken).claims();
      RuleOutcome outcome = rule.evaluate(claims);
      if (!(outcome instanceof RuleOutcome.AllowWithFilter)) {
        throw new IllegalStateException("the bench rule did not produce a filter: " + outcome);
      }
      this.ruleFilter = ((RuleOutcome.AllowWithFilter) outcome).filter();
      this.parsedRuleFilter = WhereParser.parse(ruleFilter, lens.schema());
      LensAccess.Granted granted = access.authorize(principal, BenchConfig.LENS, Operation.QUERY, Optional.of(userToken));
      if (granted.rowFilter().isEmpty()) {
        throw new IllegalStateException("the bench grant carries no row filter");
      }
    } catch (IOException e) {
      close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private static LensgateConfig compile(String yaml) {
    ConfigResult result = ConfigLoader.parse(yaml, "bench.yaml");
    if (!result.ok() || result.config().isEmpty()) {
      throw new IllegalStateException("bench config is invalid: " + result.errors());
    }
    return result.config().get();
  }

  private <T extends AutoCloseable> T own(T closeable) {
    closeables.push(closeable);
    return closeable;
  }

  @Override
  public void close() {
    while (!closeables.isEmpty()) {
      try {
        closeables.pop().close();
      } catch (Exception e) {
        // keep releasing the rest
      }
    }
    deleteTree(dataDir);
  }

  static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp directory is harmless
    }
  }
}
