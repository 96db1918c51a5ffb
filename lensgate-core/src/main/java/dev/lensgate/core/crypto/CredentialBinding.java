package dev.lensgate.core.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The owner a sealed source credential is bound to. Its {@link #associatedData()} enters both the
 * data-key wrap and the payload encryption, so a ciphertext copied to another environment or
 * another source name fails to decrypt.
 *
 * @param envId environment id
 * @param sourceName source name within that environment
 */
public record CredentialBinding(String envId, String sourceName) {
  private static final byte[] LABEL = "lensgate/source-credential/v1".getBytes(StandardCharsets.US_ASCII);

  public CredentialBinding {
    Objects.requireNonNull(envId, "envId");
    Objects.requireNonNull(sourceName, "sourceName");
  }

  /** Length-prefixed, so no two distinct (envId, sourceName) pairs share an encoding. */
  public byte[] associatedData() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeField(out, LABEL);
    writeField(out, envId.getBytes(StandardCharsets.UTF_8));
    writeField(out, sourceName.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static void writeField(ByteArrayOutputStream out, byte[] field) {
    int n = field.length;
    out.write(n >>> 24);
    out.write(n >>> 16);
    out.write(n >>> 8);
    out.write(n);
    out.write(field, 0, n);
  }
}
