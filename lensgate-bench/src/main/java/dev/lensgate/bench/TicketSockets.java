package dev.lensgate.bench;

import dev.lensgate.server.sync.ChangeListener.ChangeEvent;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The real-socket shape of {@link FanoutLoad}'s filters. Socket {@code s} carries a user token with
 * claims {@code orgId = s % orgs}, {@code lo = 200 × ((s / orgs) % 5)}, {@code hi = lo + 300}; the
 * lens's {@code subscribe} rule turns them into the filter {@code orgId = claims.orgId AND price in
 * [lo, hi)}. Its subscription {@code j} (of {@code perSocket}) narrows that with its own
 * {@code where: {"price": {"$gte": lo + step × j}}}, so every one of the subscriptions has its own
 * effective filter and a change fans out to several subscriptions of a socket. The expected
 * deliveries are computed here from that arithmetic, not by the gateway's code.
 */
final class TicketSockets {
  static final String LENS = FanoutLoad.LENS;
  static final String SOURCE = "main";
  static final String RULE = "{'filter': {'orgId': claims.orgId, 'price': {'$gte': claims.lo, '$lt': claims.hi}}}";
  /** Declared in the lens, never filtered on: the generator's send time, carried to the client. */
  static final String SENT_FIELD = "sentNanos";
  /** The source table: created empty, never written. */
  static final String TABLE_DDL = "CREATE TABLE tickets (id bigint PRIMARY KEY, org_id integer NOT NULL,"
      + " price numeric(10,2) NOT NULL, name text NOT NULL, sent_nanos bigint)";
  private static final int BANDS = 5;
  private static final int BAND_WIDTH = 300;

  private final int sockets;
  private final int orgs;
  private final int perSocket;
  private final int step;

  TicketSockets(int sockets, int orgs, int perSocket, int step) {
    if (sockets < 1 || orgs < 1 || perSocket < 1 || step < 0) {
      throw new IllegalArgumentException("need sockets, orgs, subscriptions per socket >= 1 and step >= 0");
    }
    this.sockets = sockets;
    this.orgs = orgs;
    this.perSocket = perSocket;
    this.step = step;
  }

  int sockets() { return sockets; }

  int perSocket() { return perSocket; }

  int org(int socket) { return socket % orgs; }

  int lo(int socket) { return 200 * ((socket / orgs) % BANDS); }

  /** The claims of socket {@code s}'s user token. */
  Map<String, Object> claims(int socket) {
    return Map.of("orgId", (long) org(socket), "lo", (long) lo(socket), "hi", (long) lo(socket) + BAND_WIDTH);
  }

  /** Subscription {@code j}'s client frame on a socket whose band starts at {@code lo}. */
  static String subscribeFrame(int lo, int j, int step) {
    return String.format(Locale.ROOT, "{\"op\":\"subscribe\",\"id\":\"s%d\",\"lens\":\"%s\",\"where\":{\"price\":{\"$gte\":%d}}}",
        j, LENS, lo + step * j);
  }

  /** Expected frames for one change: {@code [all, with a record carrying sentNanos (insert/update)]}. */
  void expected(ChangeEvent change, long[] into) {
    Optional<Map<String, Object>> before = change.before();
    Optional<Map<String, Object>> after = change.after();
    Long beforeOrg = before.map(r -> (Long) r.get("orgId")).orElse(null);
    Long afterOrg = after.map(r -> (Long) r.get("orgId")).orElse(null);
    if (beforeOrg != null) {
      countOrg(beforeOrg.intValue(), before, after, into);
    }
    if (afterOrg != null && !afterOrg.equals(beforeOrg)) {
      countOrg(afterOrg.intValue(), before, after, into);
    }
  }

  private void countOrg(int org, Optional<Map<String, Object>> before, Optional<Map<String, Object>> after, long[] into) {
    for (int s = org; s < sockets; s += orgs) {
      int lo = lo(s);
      for (int j = 0; j < perSocket; j++) {
        int from = Math.max(lo, lo + step * j);
        boolean seen = before.map(r -> matches(r, org, from, lo + BAND_WIDTH)).orElse(false);
        boolean sees = after.map(r -> matches(r, org, from, lo + BAND_WIDTH)).orElse(false);
        if (seen || sees) {
          into[0]++;
          if (sees) {
            into[1]++; // insert or update: the frame carries the row; leaving the view is a key-only delete
          }
        }
      }
    }
  }

  private static boolean matches(Map<String, Object> row, int org, int from, int to) {
    if (((Long) row.get("orgId")).intValue() != org) {
      return false;
    }
    BigDecimal p = (BigDecimal) row.get("price");
    return p.compareTo(BigDecimal.valueOf(from)) >= 0 && p.compareTo(BigDecimal.valueOf(to)) < 0;
  }

  /** The change as the gateway's sync would hand it over in {@code envId}, stamped with the send time. */
  static ChangeEvent stamped(ChangeEvent c, String envId, long sentNanos) {
    Optional<Map<String, Object>> after = c.after().map(r -> {
      Map<String, Object> copy = new LinkedHashMap<>(r);
      copy.put(SENT_FIELD, sentNanos);
      return copy;
    });
    return new ChangeEvent(envId, c.lens(), c.kind(), c.id(), c.before(), after);
  }

  /** The config: lens {@code tickets} over the (empty) source table, subscribe grant with {@link #RULE}. */
  static String yaml(Path jwksFile, String sourceUrl, String schema) {
    return BenchConfig.header(jwksFile, SOURCE, sourceUrl)
        + "  " + LENS + ":\n"
        + "    source: " + SOURCE + "\n"
        + "    table: tickets\n"
        + "    schema: " + Objects.requireNonNull(schema, "schema") + "\n"
        + "    primaryKey: id\n"
        + "    fields:\n"
        + "      id: { type: integer }\n"
        + "      orgId: { type: integer, from: org_id }\n"
        + "      price: { type: number }\n"
        + "      name: { type: string }\n"
        + "      " + SENT_FIELD + ": { type: integer, from: sent_nanos }\n"
        + "    grants:\n"
        + "      subscribe:\n"
        + "        authenticated: true\n"
        + "        rule: \"" + RULE + "\"\n"
        + "defaults:\n"
        + "  grants: strict\n";
  }
}
