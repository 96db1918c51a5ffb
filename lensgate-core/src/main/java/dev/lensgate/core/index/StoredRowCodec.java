package dev.lensgate.core.index;

import dev.lensgate.core.lens.LensField;
import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.core.where.FieldValues;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.util.BytesRef;

/**
 * The stored form of a lens row: one binary value that reads back to an equal map (same keys,
 * same Java types, {@code equals} values: decimals keep their scale, instants their nanos, strings
 * every char including unpaired surrogates), in declaration order.
 *
 * <p>Layout: version byte, the schema fingerprint (int: names and types of the declared fields,
 * so an index written for another shape of the lens is refused instead of misread), then per
 * declared field in order a tag ({@code ABSENT} key not in the row, {@code NULL}, {@code VALUE},
 * {@code UTF16} a string that is not well-formed UTF-16) and the value:
 * STRING UTF-8 (length-prefixed) or chars; INTEGER long; NUMBER scale and unscaled two's
 * complement bytes; BOOLEAN byte; TIMESTAMP epoch seconds and nanos; DATE epoch day.
 */
final class StoredRowCodec {
  private static final byte VERSION = 1;
  private static final byte ABSENT = 0;
  private static final byte NULL = 1;
  private static final byte VALUE = 2;
  private static final byte UTF16 = 3;
  /** Bound on one length prefix when reading (a corrupt length must not allocate gigabytes). */
  private static final int MAX_LENGTH = 64 * 1024 * 1024;

  private final List<LensField> fields;
  private final int fingerprint;

  StoredRowCodec(LensSchema lens) {
    this.fields = new ArrayList<>(lens.fields().values());
    int h = 17;
    for (LensField f : fields) {
      h = 31 * h + f.name().hashCode();
      h = 31 * h + f.type().ordinal();
    }
    this.fingerprint = h;
  }

  /**
   * @throws IllegalArgumentException if the row has an undeclared key or a value that is not the
   *     normalized type of its field
   */
  BytesRef encode(Map<String, Object> row) {
    for (String key : row.keySet()) {
      if (!containsField(key)) {
        throw new IllegalArgumentException("row has an undeclared field '" + key + "'");
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeInt(fingerprint);
      for (LensField f : fields) {
        if (!row.containsKey(f.name())) {
          out.writeByte(ABSENT);
          continue;
        }
        Object v = row.get(f.name());
        if (v == null) {
          out.writeByte(NULL);
          continue;
        }
        requireType(f, v);
        writeValue(out, f, v);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new BytesRef(bytes.toByteArray());
  }

  private boolean containsField(String key) {
    for (LensField f : fields) {
      if (f.name().equals(key)) {
        return true;
      }
    }
    return false;
  }

  static void requireType(LensField f, Object v) {
    Class<?> expected = FieldValues.javaType(f.type());
    if (!expected.isInstance(v)) {
      throw new IllegalArgumentException("value of field '" + f.name() + "' is a "
          + v.getClass().getSimpleName() + ", not a " + expected.getSimpleName());
    }
  }

  private static void writeValue(DataOutputStream out, LensField f, Object v) throws IOException {
    switch (f.type()) {
      case STRING: {
        String s = (String) v;
        if (SortableBytes.wellFormed(s)) {
          out.writeByte(VALUE);
          byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
          out.writeInt(utf8.length);
          out.write(utf8);
        } else {
          out.writeByte(UTF16);
          out.writeInt(s.length());
          out.writeChars(s);
        }
        return;
      }
      case INTEGER:
        out.writeByte(VALUE);
        out.writeLong((Long) v);
        return;
      case NUMBER: {
        BigDecimal d = (BigDecimal) v;
        byte[] unscaled = d.unscaledValue().toByteArray();
        out.writeByte(VALUE);
        out.writeInt(d.scale());
        out.writeInt(unscaled.length);
        out.write(unscaled);
        return;
      }
      case BOOLEAN:
        out.writeByte(VALUE);
        out.writeBoolean((Boolean) v);
        return;
      case TIMESTAMP: {
        Instant i = (Instant) v;
        out.writeByte(VALUE);
        out.writeLong(i.getEpochSecond());
        out.writeInt(i.getNano());
        return;
      }
      case DATE:
        out.writeByte(VALUE);
        out.writeLong(((LocalDate) v).toEpochDay());
        return;
      default:
        throw new IllegalStateException("unhandled type " + f.type());
    }
  }

  /**
   * @throws IllegalStateException if the bytes are not a row of this lens (corrupt, or written for
   *     a different set of declared fields: the index must be rebuilt)
   */
  Map<String, Object> decode(BytesRef stored) {
    DataInputStream in = new DataInputStream(
        new java.io.ByteArrayInputStream(stored.bytes, stored.offset, stored.length));
    try {
      if (in.readByte() != VERSION || in.readInt() != fingerprint) {
        throw new IllegalStateException("stored row was written for another shape of lens; rebuild the index");
      }
      Map<String, Object> row = new LinkedHashMap<>();
      for (LensField f : fields) {
        byte tag = in.readByte();
        if (tag == ABSENT) {
          continue;
        }
        row.put(f.name(), tag == NULL ? null : readValue(in, f, tag));
      }
      if (in.available() != 0) {
        throw new IllegalStateException("stored row has trailing bytes");
      }
      return row;
    } catch (EOFException e) {
      throw new IllegalStateException("stored row is truncated", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      if (e instanceof IllegalStateException) {
        throw e;
      }
      throw new IllegalStateException("stored row is corrupt", e);
    }
  }

  private static Object readValue(DataInputStream in, LensField f, byte tag) throws IOException {
    if (tag == UTF16 && f.type() == dev.lensgate.core.lens.FieldType.STRING) {
      char[] chars = new char[length(in)];
      for (int i = 0; i < chars.length; i++) {
        chars[i] = in.readChar();
      }
      return new String(chars);
    }
    if (tag != VALUE) {
      throw new IllegalStateException("stored row has an unknown tag");
    }
    switch (f.type()) {
      case STRING:
        return new String(in.readNBytes(length(in)), StandardCharsets.UTF_8);
      case INTEGER:
        return in.readLong();
      case NUMBER: {
        int scale = in.readInt();
        byte[] unscaled = in.readNBytes(length(in));
        return new BigDecimal(new BigInteger(unscaled), scale);
      }
      case BOOLEAN:
        return in.readBoolean();
      case TIMESTAMP: {
        long seconds = in.readLong();
        return Instant.ofEpochSecond(seconds, in.readInt());
      }
      case DATE:
        return LocalDate.ofEpochDay(in.readLong());
      default:
        throw new IllegalStateException("unhandled type " + f.type());
    }
  }

  private static int length(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_LENGTH || n > in.available()) {
      throw new IllegalStateException("stored row has a bad length");
    }
    return n;
  }
}
