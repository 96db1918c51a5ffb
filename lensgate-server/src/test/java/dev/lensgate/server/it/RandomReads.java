package dev.lensgate.server.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random {@code where} objects and read shapes for the {@code accounts} lens of
 * {@link RowFilterEscapeTest} (fields id, orgId, name, score, tier). A good share of the filters
 * are escape attempts: {@code $or} branches, {@code $not}, {@code $ne}, {@code $nin} and
 * {@code $in} that name other organizations, or values that look like SQL. Every filter is valid
 * for the lens, so every request is expected to succeed.
 */
final class RandomReads {
  static final List<String> ORGS = List.of("org-a", "org-b", "org-c", "org-d", "org-e");
  static final List<String> FIELDS = List.of("id", "orgId", "name", "score", "tier");
  static final List<String> TIERS = List.of("gold", "silver", "bronze");
  static final List<String> SYLLABLES = List.of("ka", "to", "mi", "ra", "lu", "ne", "so", "vi", "de", "po");
  private static final List<String> HOSTILE_ORGS = List.of("org-z", "org-a' OR '1'='1", "%", "org-%", "", "ORG-A");

  private final Random random;

  RandomReads(Random random) {
    this.random = random;
  }

  static String name(Random random) {
    StringBuilder b = new StringBuilder();
    int words = 1 + random.nextInt(2);
    for (int w = 0; w < words; w++) {
      if (w > 0) {
        b.append(' ');
      }
      for (int s = 0; s < 2 + random.nextInt(2); s++) {
        b.append(SYLLABLES.get(random.nextInt(SYLLABLES.size())));
      }
    }
    return b.toString();
  }

  /** A where object (possibly empty) whose top level may mix a field and a logical operator. */
  Map<String, Object> where(String callerOrg) {
    Map<String, Object> w = new LinkedHashMap<>();
    int shape = random.nextInt(10);
    if (shape == 0) {
      return w;
    }
    if (shape <= 3) {
      return attack(callerOrg);
    }
    String field = pick(FIELDS);
    w.put(field, fieldCondition(field, callerOrg));
    if (random.nextBoolean()) {
      switch (random.nextInt(3)) {
        case 0: w.put("$or", children(callerOrg, 2)); break;
        case 1: w.put("$and", children(callerOrg, 2)); break;
        default: w.put("$not", condition(callerOrg, 2)); break;
      }
    }
    return w;
  }

  /** Filters written to widen the caller's view to other organizations. */
  private Map<String, Object> attack(String callerOrg) {
    String other = otherOrg(callerOrg);
    switch (random.nextInt(9)) {
      case 0: return Map.of("$or", List.of(condition(callerOrg, 1), Map.of("orgId", other)));
      case 1: return Map.of("$or", List.of(Map.of("orgId", callerOrg), Map.of("orgId", Map.of("$ne", callerOrg))));
      case 2: return Map.of("$not", Map.of("orgId", callerOrg));
      case 3: return Map.of("orgId", Map.of("$ne", callerOrg));
      case 4: return Map.of("orgId", Map.of("$nin", List.of(callerOrg)));
      case 5: return Map.of("orgId", Map.of("$in", new ArrayList<>(ORGS)));
      case 6: return Map.of("$or", List.of(Map.of("score", Map.of("$gte", 0)), Map.of("score", Map.of("$lt", 0)),
          Map.of("orgId", Map.of("$exists", false))));
      case 7: return Map.of("orgId", pick(HOSTILE_ORGS));
      default: return Map.of("$not", Map.of("$and", List.of(Map.of("orgId", callerOrg), condition(callerOrg, 1))));
    }
  }

  private List<Object> children(String callerOrg, int depth) {
    int n = 1 + random.nextInt(3);
    List<Object> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(condition(callerOrg, depth));
    }
    return out;
  }

  /** A where object with one entry: a field condition, or (with depth left) a logical one. */
  private Map<String, Object> condition(String callerOrg, int depth) {
    int kind = depth <= 0 ? 0 : random.nextInt(5);
    switch (kind) {
      case 1: return Map.of("$or", children(callerOrg, depth - 1));
      case 2: return Map.of("$and", children(callerOrg, depth - 1));
      case 3: return Map.of("$not", condition(callerOrg, depth - 1));
      default:
        String field = pick(FIELDS);
        return Map.of(field, fieldCondition(field, callerOrg));
    }
  }

  /** The value side of {@code {field: ...}}: a bare value or an operator object. */
  private Object fieldCondition(String field, String callerOrg) {
    switch (field) {
      case "id": return numeric(1 + random.nextInt(520));
      case "score": return numeric(random.nextInt(1001));
      case "orgId": return orgCondition(callerOrg);
      case "name": return nameCondition();
      default: return tierCondition();
    }
  }

  private Object numeric(long v) {
    switch (random.nextInt(9)) {
      case 0: return v;
      case 1: return Map.of("$ne", v);
      case 2: return Map.of("$gt", v);
      case 3: return Map.of("$gte", v);
      case 4: return Map.of("$lt", v);
      case 5: return Map.of("$lte", v);
      case 6: return Map.of("$in", List.of(v, v + 1, v * 2));
      case 7: return Map.of("$nin", List.of(v, v + 7));
      default: return Map.of("$not", Map.of("$gt", v));
    }
  }

  private Object orgCondition(String callerOrg) {
    String org = random.nextInt(3) == 0 ? callerOrg : random.nextInt(4) == 0 ? pick(HOSTILE_ORGS) : pick(ORGS);
    switch (random.nextInt(6)) {
      case 0: return org;
      case 1: return Map.of("$eq", org);
      case 2: return Map.of("$ne", org);
      case 3: return Map.of("$in", List.of(org, pick(ORGS)));
      case 4: return Map.of("$nin", List.of(org));
      default: return Map.of("$startsWith", "org-");
    }
  }

  private Object nameCondition() {
    String syl = pick(SYLLABLES);
    switch (random.nextInt(8)) {
      case 0: return name(random);
      case 1: return Map.of("$like", "%" + syl + "%");
      case 2: return Map.of("$ilike", syl.toUpperCase() + "%");
      case 3: return Map.of("$contains", syl);
      case 4: return Map.of("$startsWith", syl);
      case 5: return Map.of("$endsWith", syl);
      case 6: return Map.of("$gt", syl);
      default: return Map.of("$like", "_" + syl.charAt(0) + "%");
    }
  }

  private Object tierCondition() {
    switch (random.nextInt(6)) {
      case 0: return Map.of("$exists", true);
      case 1: return Map.of("$exists", false);
      case 2: return pick(TIERS);
      case 3: return Map.of("$ne", pick(TIERS));
      case 4: return Map.of("$in", List.of(pick(TIERS), pick(TIERS)));
      default: return java.util.Collections.singletonMap("$eq", pick(TIERS));
    }
  }

  /** 0 to 2 sort keys as (field, desc?) pairs, no field twice. */
  List<Map.Entry<String, Boolean>> orderBy() {
    List<String> fields = new ArrayList<>(FIELDS);
    java.util.Collections.shuffle(fields, random);
    int n = random.nextInt(3);
    List<Map.Entry<String, Boolean>> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(Map.entry(fields.get(i), random.nextBoolean()));
    }
    return out;
  }

  /** Empty for "all fields", else a non-empty random subset (with or without orgId). */
  List<String> select() {
    if (random.nextInt(3) == 0) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String f : FIELDS) {
      if (random.nextBoolean()) {
        out.add(f);
      }
    }
    if (out.isEmpty()) {
      out.add(pick(FIELDS));
    }
    return out;
  }

  String otherOrg(String callerOrg) {
    String o;
    do {
      o = pick(ORGS);
    } while (o.equals(callerOrg));
    return o;
  }

  <T> T pick(List<T> items) {
    return items.get(random.nextInt(items.size()));
  }
}
