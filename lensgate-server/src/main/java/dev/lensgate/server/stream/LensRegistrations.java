package dev.lensgate.server.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The registrations of one lens of one environment, indexed by their required equality so that a
 * change is tested only against the registrations that can match it: those without an equality,
 * plus, per indexed field, those whose value equals the before or the after row's value.
 *
 * <p>Mutated only by the hub under the lock of its per-lens map entry ({@code compute}); read by
 * lane threads concurrently, hence concurrent collections (weakly consistent iteration: a
 * registration added or removed during a fan-out may or may not see that change).
 */
final class LensRegistrations {
  private final Set<HubRegistration> unindexed = ConcurrentHashMap.newKeySet();
  /** field → value key → registrations requiring {@code field = value}. */
  private final Map<String, Map<Object, Set<HubRegistration>>> byEquality = new ConcurrentHashMap<>();
  private volatile int size;

  /** Under the hub's per-lens lock. */
  void add(HubRegistration r) {
    if (r.indexField() == null) {
      unindexed.add(r);
    } else {
      byEquality.computeIfAbsent(r.indexField(), f -> new ConcurrentHashMap<>())
          .computeIfAbsent(r.indexKey(), k -> ConcurrentHashMap.newKeySet()).add(r);
    }
    size++;
  }

  /** Under the hub's per-lens lock; empty buckets are dropped so churn does not leak memory. */
  void remove(HubRegistration r) {
    boolean removed;
    if (r.indexField() == null) {
      removed = unindexed.remove(r);
    } else {
      Map<Object, Set<HubRegistration>> byValue = byEquality.get(r.indexField());
      Set<HubRegistration> bucket = byValue == null ? null : byValue.get(r.indexKey());
      removed = bucket != null && bucket.remove(r);
      if (bucket != null && bucket.isEmpty()) {
        byValue.remove(r.indexKey());
        if (byValue.isEmpty()) {
          byEquality.remove(r.indexField());
        }
      }
    }
    if (removed) {
      size--;
    }
  }

  int size() {
    return size;
  }

  /** Every registration that could see {@code before} or {@code after}, each once. */
  void forEachCandidate(Optional<Map<String, Object>> before, Optional<Map<String, Object>> after,
      Consumer<HubRegistration> action) {
    unindexed.forEach(action);
    for (Map.Entry<String, Map<Object, Set<HubRegistration>>> field : byEquality.entrySet()) {
      Object beforeKey = before.map(row -> EqualityKey.of(row.get(field.getKey()))).orElse(null);
      Object afterKey = after.map(row -> EqualityKey.of(row.get(field.getKey()))).orElse(null);
      // A registration sits in exactly one bucket, so two different keys never visit it twice.
      visit(field.getValue(), beforeKey, action);
      if (afterKey != null && !afterKey.equals(beforeKey)) {
        visit(field.getValue(), afterKey, action);
      }
    }
  }

  private static void visit(Map<Object, Set<HubRegistration>> byValue, Object key, Consumer<HubRegistration> action) {
    if (key == null) {
      return;
    }
    Set<HubRegistration> bucket = byValue.get(key);
    if (bucket != null) {
      bucket.forEach(action);
    }
  }

  /** A snapshot of all registrations (to end them). */
  List<HubRegistration> all() {
    List<HubRegistration> out = new ArrayList<>(unindexed);
    for (Map<Object, Set<HubRegistration>> byValue : byEquality.values()) {
      for (Set<HubRegistration> bucket : byValue.values()) {
        out.addAll(bucket);
      }
    }
    return out;
  }
}
