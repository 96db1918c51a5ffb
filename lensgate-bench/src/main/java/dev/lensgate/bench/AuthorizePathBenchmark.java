package dev.lensgate.bench;

import dev.lensgate.core.auth.Operation;
import dev.lensgate.core.auth.Principal;
import dev.lensgate.core.jwt.VerifiedClaims;
import dev.lensgate.core.plan.ReadSpec;
import dev.lensgate.core.rules.RuleOutcome;
import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.WhereParser;
import dev.lensgate.server.authorize.LensAccess;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The in-process authorize path of a {@code pk_} query with a user token and a row-filter rule,
 * end to end ({@link #fullPath}) and piece by piece:
 *
 * <ul>
 *   <li>{@link #keyVerifyCached}: {@code Authorization} header → principal, key already cached
 *       (checksum, HMAC, cache hit, last-used touch);
 *   <li>{@link #jwtVerify}: ES256 user token against the JWKS file (parse, signature, claims);
 *   <li>{@link #celRule}: the compiled CEL rule over verified claims → {@code {filter}};
 *   <li>{@link #ruleFilterParse}: the rule's filter object → where AST;
 *   <li>{@link #plan}: client where parse + AND with the parsed rule filter → read spec;
 *   <li>{@link #lensAccessAuthorize}: {@link LensAccess#authorize(Principal, String, Operation, Optional)},
 *       i.e. lens lookup + JWT + claims + CEL + rule filter parse.
 * </ul>
 *
 * <p>{@link #fullPath} goes through the gateway's {@code CachingUserTokenVerifier}, so the ES256
 * check is paid once per token per minute; {@link #jwtVerify} shows what one uncached check costs.
 *
 * <p>{@code SampleTime} gives the percentiles (p50 is the target: under 20 µs for the full path),
 * {@code AverageTime} the mean. Single-threaded: this is latency, not throughput.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class AuthorizePathBenchmark {
  private AuthorizeFixture f;

  @Setup(Level.Trial)
  public void setUp() {
    f = new AuthorizeFixture();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    f.close();
  }

  /**
   * Key verify (cached) → authorize (JWT from the verified-token cache, CEL, rule filter) → plan:
   * everything before the source, as the gateway runs it.
   */
  @Benchmark
  public ReadSpec fullPath() {
    Principal principal = f.authenticator.authenticate(f.authorizationHeader);
    LensAccess.Granted granted = f.access.authorize(principal, BenchConfig.LENS, Operation.QUERY, Optional.of(f.userToken));
    return f.planner.plan(f.request, granted.rowFilter(), granted.lens().schema(), principal.envId());
  }

  @Benchmark
  public Principal keyVerifyCached() {
    return f.authenticator.authenticate(f.authorizationHeader);
  }

  @Benchmark
  public VerifiedClaims jwtVerify() {
    return f.verifier.verify(f.userToken);
  }

  @Benchmark
  public RuleOutcome celRule() {
    return f.rule.evaluate(f.claims);
  }

  @Benchmark
  public Filter ruleFilterParse() {
    return WhereParser.parse(f.ruleFilter, f.lens.schema());
  }

  @Benchmark
  public ReadSpec plan() {
    return f.planner.plan(f.request, Optional.of(f.parsedRuleFilter), f.lens.schema(), f.principal.envId());
  }

  @Benchmark
  public LensAccess.Granted lensAccessAuthorize() {
    return f.access.authorize(f.principal, BenchConfig.LENS, Operation.QUERY, Optional.of(f.userToken));
  }
}
