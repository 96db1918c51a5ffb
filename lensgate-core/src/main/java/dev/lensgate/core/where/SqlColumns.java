package dev.lensgate.core.where;

import dev.lensgate.core.lens.FieldType;
import dev.lensgate.core.lens.LensField;
import dev.lensgate.core.lens.LensSchema;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Objects;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.SortField;
import org.jooq.Table;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The jOOQ view of one lens on one dialect: quoted table and column references (identifiers only
 * ever come from the {@link LensSchema}), typed bind values, and the string expressions that make
 * comparisons exact on every database.
 *
 * <p><b>Exact strings.</b> Customer tables often carry case- or accent-insensitive collations
 * (MariaDB {@code utf8mb4_general_ci}, PostgreSQL nondeterministic ICU collations, H2
 * {@code VARCHAR_IGNORECASE}). A rule filter {@code {orgId: "acme"}} must never match
 * {@code 'ACME'}, so every string comparison, pattern match and sort runs on a binary-collated
 * expression:
 * <ul>
 *   <li>PostgreSQL: {@code CAST(col AS text) COLLATE "C"} (code point order; also makes uuid
 *       columns declared as strings comparable);</li>
 *   <li>MariaDB: {@code CONVERT(col USING utf8mb4) COLLATE utf8mb4_nopad_bin} (code point order,
 *       and NO PAD: {@code 'a' <> 'a '}, unlike the PAD SPACE {@code utf8mb4_bin});</li>
 *   <li>H2: {@code CAST(col AS VARCHAR)}.</li>
 * </ul>
 * The price is that a plain index on a string column is not used for these predicates on MariaDB
 * and PostgreSQL; an index on the same expression is.
 *
 * <p><b>Remaining dialect limits.</b> H2 compares strings by UTF-16 code unit and its {@code _}
 * wildcard matches one UTF-16 unit, so for characters outside the Basic Multilingual Plane H2 can
 * differ from the code-point semantics of the other databases and the in-memory predicate (only
 * strings mixing U+E000–U+FFFF with supplementary characters order differently). NUMBER fields on
 * floating-point columns ({@code double precision}, {@code DOUBLE}) compare in floating point on
 * the database, so exact agreement with the in-memory predicate holds for DECIMAL/NUMERIC
 * columns. TIMESTAMP fields
 * must map to {@code timestamptz} on PostgreSQL and {@code TIMESTAMP WITH TIME ZONE} on H2; on
 * MariaDB, {@code DATETIME} values are read and compared as UTC. Identifiers are quoted, so lens
 * column names must match the stored case exactly (PostgreSQL folds unquoted DDL names to lower
 * case, H2 to upper case).
 */
public final class SqlColumns {
  private static final String ASCII_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  private static final String ASCII_LOWER = "abcdefghijklmnopqrstuvwxyz";

  static {
    // jOOQ prints a banner and tips on first use unless told not to; keep logs quiet.
    if (System.getProperty("org.jooq.no-logo") == null) {
      System.setProperty("org.jooq.no-logo", "true");
    }
    if (System.getProperty("org.jooq.no-tips") == null) {
      System.setProperty("org.jooq.no-tips", "true");
    }
  }

  private final LensSchema lens;
  private final SQLDialect family;

  private SqlColumns(LensSchema lens, SQLDialect family) {
    this.lens = lens;
    this.family = family;
  }

  /**
   * @throws IllegalArgumentException for a dialect other than PostgreSQL, MariaDB or H2
   */
  public static SqlColumns of(LensSchema lens, SQLDialect dialect) {
    Objects.requireNonNull(lens, "lens");
    return new SqlColumns(lens, requireSupported(dialect));
  }

  /**
   * The dialect family, if supported.
   *
   * @throws IllegalArgumentException for anything but PostgreSQL, MariaDB or H2
   */
  public static SQLDialect requireSupported(SQLDialect dialect) {
    SQLDialect family = Objects.requireNonNull(dialect, "dialect").family();
    if (family != SQLDialect.POSTGRES && family != SQLDialect.MARIADB && family != SQLDialect.H2) {
      throw new IllegalArgumentException("unsupported SQL dialect " + dialect + " (PostgreSQL, MariaDB or H2)");
    }
    return family;
  }

  /**
   * jOOQ settings for every Lensgate query: identifiers always quoted, and jOOQ's own execute and
   * exception logging off, because those log lines inline bind values.
   */
  public static Settings settings() {
    return new Settings()
        .withRenderQuotedNames(RenderQuotedNames.ALWAYS)
        .withRenderSchema(true)
        .withExecuteLogging(false)
        .withExecuteLoggingSQLExceptions(false)
        .withDiagnosticsLogging(false);
  }

  public LensSchema lens() {
    return lens;
  }

  public SQLDialect family() {
    return family;
  }

  public Table<Record> table() {
    return lens.schema()
        .map(s -> DSL.table(DSL.name(s, lens.table())))
        .orElseGet(() -> DSL.table(DSL.name(lens.table())));
  }

  /** The typed column of a declared field, for SELECT. */
  public Field<Object> column(String fieldName) {
    return column(field(fieldName));
  }

  @SuppressWarnings("unchecked")
  Field<Object> column(LensField f) {
    return (Field<Object>) DSL.field(DSL.name(f.column()), dataType(f.type()));
  }

  /** The expression comparisons and sorts use: binary-collated for strings, the column otherwise. */
  @SuppressWarnings("unchecked")
  Field<Object> comparable(LensField f) {
    Field<Object> col = column(f);
    if (f.type() != FieldType.STRING) {
      return col;
    }
    switch (family) {
      case POSTGRES:
        return (Field<Object>) (Field<?>) DSL.cast(col, SQLDataType.CLOB).collate(DSL.collation(DSL.name("C")));
      case MARIADB:
        // A constant template around a quoted column: no client text is ever part of it.
        return (Field<Object>) (Field<?>) DSL.field("(CONVERT({0} USING utf8mb4) COLLATE utf8mb4_nopad_bin)",
            SQLDataType.VARCHAR, col);
      default:
        return (Field<Object>) (Field<?>) DSL.cast(col, SQLDataType.VARCHAR);
    }
  }

  /** {@code expr} with exactly the ASCII letters A–Z folded to a–z, as {@code $ilike} defines. */
  Field<String> asciiLower(Field<Object> expr) {
    @SuppressWarnings("unchecked")
    Field<String> s = (Field<String>) (Field<?>) expr;
    if (family == SQLDialect.MARIADB) {
      // MariaDB has no TRANSLATE; LOWER() would fold non-ASCII letters too.
      Field<String> out = s;
      for (int i = 0; i < ASCII_UPPER.length(); i++) {
        out = DSL.replace(out, DSL.inline(ASCII_UPPER.substring(i, i + 1)), DSL.inline(ASCII_LOWER.substring(i, i + 1)));
      }
      return out;
    }
    return DSL.translate(s, DSL.inline(ASCII_UPPER), DSL.inline(ASCII_LOWER));
  }

  /**
   * The ORDER BY term for a field: ascending sorts put NULLs last and descending sorts put them
   * first (NULL sorts as larger than every value), spelled out so all databases agree.
   */
  public SortField<Object> sortField(String fieldName, boolean descending) {
    Field<Object> expr = comparable(field(fieldName));
    return descending ? expr.desc().nullsFirst() : expr.asc().nullsLast();
  }

  /** A normalized value as the bind parameter for {@code f}'s column. */
  Object bindValue(LensField f, Object normalized) {
    if (normalized instanceof Instant) {
      Instant i = (Instant) normalized;
      return family == SQLDialect.MARIADB
          ? LocalDateTime.ofInstant(i, FieldValues.storageZone())
          : OffsetDateTime.ofInstant(i, FieldValues.storageZone());
    }
    return normalized;
  }

  LensField field(String fieldName) {
    return lens.field(fieldName).orElseThrow(() -> WhereParser.unknownField(fieldName));
  }

  private DataType<?> dataType(FieldType type) {
    switch (type) {
      case STRING: return SQLDataType.VARCHAR;
      case INTEGER: return SQLDataType.BIGINT;
      case NUMBER: return SQLDataType.NUMERIC;
      case BOOLEAN: return SQLDataType.BOOLEAN;
      case TIMESTAMP:
        return family == SQLDialect.MARIADB ? SQLDataType.LOCALDATETIME : SQLDataType.TIMESTAMPWITHTIMEZONE;
      case DATE: return SQLDataType.LOCALDATE;
      default: throw new IllegalStateException("unhandled type " + type);
    }
  }
}
