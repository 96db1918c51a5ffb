package dev.lensgate.core.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.lens.LensField;
import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.core.where.FieldValues;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque, tamper-evident keyset cursors.
 *
 * <p>Format: {@code base64url(version ‖ payload ‖ HMAC-SHA-256(key, context ‖ version ‖ payload))}
 * without padding, where the payload is a JSON array with the text form of the last row's sort
 * values (primary key included), and the context — never sent, only MACed — is the environment id,
 * the lens name and {@link ReadSpec#queryFingerprint()} (merged filter + orderBy, so the rule
 * filter too). A cursor that was edited, truncated, or replayed in another environment, lens,
 * where or orderBy fails the MAC and is {@code invalid_cursor}; all failures look the same to the
 * client. The MAC is compared in constant time, before the payload is parsed.
 *
 * <p>The payload is signed, not encrypted: it holds sort values of a row the client was already
 * shown. Decoding accepts at most {@value #MAX_CURSOR_CHARS} characters, so sorting by a field
 * whose values are several kilobytes long cannot be paged by cursor (use offset).
 *
 * <p>Thread-safe; the key is copied and never exposed.
 */
public final class CursorCodec {
  public static final int MAX_CURSOR_CHARS = 16_384;
  private static final int MIN_KEY_BYTES = 32;
  private static final byte VERSION = 1;
  private static final int MAC_BYTES = 32;
  private static final byte[] LABEL = "lensgate-cursor-v1".getBytes(StandardCharsets.US_ASCII);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private final SecretKeySpec key;

  /** @param hmacKey at least 32 random bytes; copied */
  public CursorCodec(byte[] hmacKey) {
    Objects.requireNonNull(hmacKey, "hmacKey");
    if (hmacKey.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException("cursor key must be at least " + MIN_KEY_BYTES + " bytes");
    }
    this.key = new SecretKeySpec(hmacKey.clone(), "HmacSHA256");
  }

  /** A cursor that continues {@code spec} after {@code position}, bound to env, lens and query. */
  public String encode(String envId, ReadSpec spec, KeysetPosition position) {
    if (position.values().size() != spec.orderBy().size()) {
      throw new IllegalArgumentException("keyset position does not match orderBy");
    }
    ArrayNode arr = JsonNodeFactory.instance.arrayNode(position.values().size());
    for (Object v : position.values()) {
      if (v == null) {
        arr.addNull();
      } else {
        arr.add(FieldValues.toText(v));
      }
    }
    byte[] payload = arr.toString().getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[1 + payload.length];
    body[0] = VERSION;
    System.arraycopy(payload, 0, body, 1, payload.length);
    byte[] mac = mac(envId, spec, body);
    byte[] token = Arrays.copyOf(body, body.length + MAC_BYTES);
    System.arraycopy(mac, 0, token, body.length, MAC_BYTES);
    return B64.encodeToString(token);
  }

  /**
   * Verifies a client cursor against the query it is used with and returns its position, typed
   * by the lens fields of {@code spec.orderBy()}.
   *
   * @throws LensgateException {@code INVALID_CURSOR} for anything but an intact cursor minted for
   *     this env, lens and query
   */
  public KeysetPosition decode(String cursor, String envId, ReadSpec spec, LensSchema lens) {
    if (cursor == null || cursor.isEmpty() || cursor.length() > MAX_CURSOR_CHARS) {
      throw invalid();
    }
    byte[] token;
    try {
      token = B64D.decode(cursor);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    // Base64 ignores spare low bits of the last character; insist on the one canonical spelling.
    if (token.length < 1 + MAC_BYTES + 2 || !B64.encodeToString(token).equals(cursor) || token[0] != VERSION) {
      throw invalid();
    }
    byte[] body = Arrays.copyOf(token, token.length - MAC_BYTES);
    byte[] given = Arrays.copyOfRange(token, token.length - MAC_BYTES, token.length);
    if (!MessageDigest.isEqual(mac(envId, spec, body), given)) {
      throw invalid();
    }
    return position(Arrays.copyOfRange(body, 1, body.length), spec, lens);
  }

  private static KeysetPosition position(byte[] payload, ReadSpec spec, LensSchema lens) {
    JsonNode arr;
    try {
      arr = JSON.readTree(payload);
    } catch (IOException e) {
      throw invalid();
    }
    if (arr == null || !arr.isArray() || arr.size() != spec.orderBy().size()) {
      throw invalid();
    }
    List<Object> values = new ArrayList<>(arr.size());
    for (int i = 0; i < arr.size(); i++) {
      JsonNode v = arr.get(i);
      if (v.isNull()) {
        values.add(null);
        continue;
      }
      LensField f = lens.field(spec.orderBy().get(i).field()).orElseThrow(CursorCodec::invalid);
      if (!v.isTextual()) {
        throw invalid();
      }
      try {
        values.add(FieldValues.fromText(v.textValue(), f.type()));
      } catch (IllegalArgumentException e) {
        throw invalid();
      }
    }
    return new KeysetPosition(values);
  }

  private byte[] mac(String envId, ReadSpec spec, byte[] body) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(key);
      m.update(LABEL);
      m.update(lengthPrefixed(envId.getBytes(StandardCharsets.UTF_8)));
      m.update(lengthPrefixed(spec.lens().getBytes(StandardCharsets.UTF_8)));
      m.update(lengthPrefixed(spec.queryFingerprint()));
      m.update(body);
      return m.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by every JRE", e);
    }
  }

  private static byte[] lengthPrefixed(byte[] b) {
    return ByteBuffer.allocate(4 + b.length).putInt(b.length).put(b).array();
  }

  private static LensgateException invalid() {
    return new LensgateException(ErrorCode.INVALID_CURSOR, "invalid cursor");
  }

  @Override
  public String toString() {
    return "CursorCodec[key=<redacted>]";
  }
}
