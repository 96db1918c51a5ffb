package dev.lensgate.core.config;

import dev.lensgate.core.auth.Operation;
import dev.lensgate.core.lens.LensSchema;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code lenses.<name>}: one mapped, minimal view of a table, with its transforms and grants.
 *
 * @param source the name of a {@link SourceConfig}
 * @param transforms field name → transform chain, for every declared field (empty chains included)
 * @param grants the explicitly configured grants (lens-level and top-level {@code grants} merged);
 *     use {@link #grant(Operation)} for the effective grant
 * @param searchableFields fields marked {@code searchable}, in declaration order
 * @param defaultGrants what an operation without an explicit grant allows
 * @param index how the lens is indexed and synced for search/similar
 * @param maxLiveSubscriptions {@code maxLiveSubscriptions}: the most live stream subscriptions of
 *     this lens per environment on one gateway; empty means the gateway's default
 */
public record LensConfig(
    String name,
    String source,
    LensSchema schema,
    Map<String, FieldTransforms> transforms,
    Map<Operation, Grant> grants,
    List<String> searchableFields,
    DefaultGrants defaultGrants,
    IndexSettings index,
    OptionalInt maxLiveSubscriptions) {

  /** The most a lens may set for {@code maxLiveSubscriptions}. */
  public static final int MAX_LIVE_SUBSCRIPTIONS = 1_000_000;

  public LensConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(defaultGrants, "defaultGrants");
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(maxLiveSubscriptions, "maxLiveSubscriptions");
    maxLiveSubscriptions.ifPresent(n -> {
      if (n < 1 || n > MAX_LIVE_SUBSCRIPTIONS) {
        throw new IllegalArgumentException("maxLiveSubscriptions must be 1.." + MAX_LIVE_SUBSCRIPTIONS);
      }
    });
    Map<String, FieldTransforms> t = new LinkedHashMap<>();
    for (String field : schema.fields().keySet()) {
      t.put(field, transforms.getOrDefault(field, FieldTransforms.none()));
    }
    for (String field : transforms.keySet()) {
      if (!schema.fields().containsKey(field)) {
        throw new IllegalArgumentException("transforms for undeclared field " + field);
      }
    }
    transforms = Collections.unmodifiableMap(t);
    grants = grants.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(grants));
    if (grants.containsKey(Operation.INGEST)) {
      throw new IllegalArgumentException("ingest is not granted per lens");
    }
    searchableFields = List.copyOf(searchableFields);
    for (String field : searchableFields) {
      if (!schema.fields().containsKey(field)) {
        throw new IllegalArgumentException("searchable field " + field + " is not declared");
      }
    }
    if (!index.weights().keySet().equals(new java.util.HashSet<>(searchableFields))) {
      throw new IllegalArgumentException("index weights must cover exactly the searchable fields");
    }
    index.changeTrackingField().ifPresent(f -> {
      if (!schema.fields().containsKey(f)) {
        throw new IllegalArgumentException("change tracking field " + f + " is not declared");
      }
    });
  }

  /** A lens without its own {@code maxLiveSubscriptions} (the gateway's default applies). */
  public LensConfig(String name, String source, LensSchema schema, Map<String, FieldTransforms> transforms,
      Map<Operation, Grant> grants, List<String> searchableFields, DefaultGrants defaultGrants, IndexSettings index) {
    this(name, source, schema, transforms, grants, searchableFields, defaultGrants, index, OptionalInt.empty());
  }

  /**
   * The effective grant for {@code operation}, or empty when it is off: the explicit grant if
   * there is one; otherwise {@code search}, {@code similar} and {@code subscribe} are public under
   * {@link DefaultGrants#OPEN}, and {@code query} is always off. {@code ingest} is never granted
   * to {@code pk_}/{@code lp_} keys, so it is always empty.
   */
  public Optional<Grant> grant(Operation operation) {
    Grant explicit = grants.get(operation);
    if (explicit != null) {
      return Optional.of(explicit);
    }
    return isImplicitlyPublic(operation, defaultGrants) ? Optional.of(Grant.PUBLIC) : Optional.empty();
  }

  /** The transform chain of a declared field; the identity chain for any other name. */
  public FieldTransforms transforms(String field) {
    return transforms.getOrDefault(field, FieldTransforms.none());
  }

  static boolean isImplicitlyPublic(Operation operation, DefaultGrants defaults) {
    if (defaults != DefaultGrants.OPEN) {
      return false;
    }
    switch (operation) {
      case SEARCH:
      case SIMILAR:
      case SUBSCRIBE:
        return true;
      default:
        return false;
    }
  }
}
