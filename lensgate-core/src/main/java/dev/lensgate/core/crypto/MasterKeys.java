package dev.lensgate.core.crypto;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Finds or creates the master keyset and turns it into {@link KeyMaterial}.
 *
 * <p>Sources, in order:
 * <ol>
 *   <li>Environment variable {@value #ENV_VAR}: the standard base64 encoding (RFC 4648, with
 *       padding) of a cleartext Tink keyset in Tink's JSON format, holding only AES-GCM keys with
 *       a 256-bit first key. {@link #newEnvironmentValue()} produces one. Nothing is written to disk.
 *   <li>File {@code <dataDir>/}{@value #KEYSET_FILE}: the same JSON. Created on first start with
 *       mode 0600 set at creation time (never widened and then narrowed), written fully to a
 *       temporary file and hard-linked into place so a crash or a concurrent start never leaves
 *       a half-written keyset. An existing file that grants any permission to group or others is
 *       refused: the operator must {@code chmod 600} it.
 * </ol>
 *
 * <p>Whoever holds this keyset can decrypt every stored source credential and forge API key
 * hashes and cursors; it must never be copied into the metadata database.
 */
public final class MasterKeys {
  public static final String ENV_VAR = "LENSGATE_MASTER_KEY";
  public static final String KEYSET_FILE = "master-keyset.json";

  private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR = EnumSet.of(
      PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
  private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private MasterKeys() {}

  /**
   * The key material for a gateway: from {@value #ENV_VAR} when set in {@code environment}, else
   * from (or newly created in) {@code dataDir}.
   *
   * @throws MasterKeyException if the material is malformed or unsafely stored
   */
  public static KeyMaterial load(Path dataDir, Map<String, String> environment) {
    String fromEnv = environment.get(ENV_VAR);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnvironmentValue(fromEnv);
    }
    return loadOrCreateFile(dataDir);
  }

  /** Parses a {@value #ENV_VAR} value (base64 of a Tink JSON keyset). */
  public static KeyMaterial fromEnvironmentValue(String base64KeysetJson) {
    Objects.requireNonNull(base64KeysetJson, "base64KeysetJson");
    byte[] json;
    try {
      json = Base64.getDecoder().decode(base64KeysetJson.strip());
    } catch (IllegalArgumentException e) {
      throw new MasterKeyException(ENV_VAR + " is not valid base64 (expected base64 of a Tink JSON keyset)");
    }
    return new KeyMaterial(parse(new String(json, StandardCharsets.UTF_8), ENV_VAR), new SecureRandom());
  }

  /** A fresh keyset encoded for {@value #ENV_VAR}. */
  public static String newEnvironmentValue() {
    String json = serialize(generate());
    return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** Fresh key material that lives only in memory (tests; nothing is persisted). */
  public static KeyMaterial ephemeral() {
    return new KeyMaterial(generate(), new SecureRandom());
  }

  /** Reads {@code <dataDir>/master-keyset.json}, creating it (and the directory, 0700) if absent. */
  public static KeyMaterial loadOrCreateFile(Path dataDir) {
    Path file = dataDir.resolve(KEYSET_FILE);
    try {
      if (!Files.exists(dataDir)) {
        Files.createDirectories(dataDir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
      }
      if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        createAtomically(file, serialize(generate()));
      }
      return new KeyMaterial(parse(readChecked(file), file.toString()), new SecureRandom());
    } catch (UnsupportedOperationException e) {
      throw new MasterKeyException("the file system under " + dataDir
          + " has no POSIX permissions; set " + ENV_VAR + " instead", e);
    } catch (IOException e) {
      throw new MasterKeyException("cannot read or create master keyset " + file + ": " + e.getClass().getSimpleName(), e);
    }
  }

  private static String readChecked(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new MasterKeyException("master keyset " + file + " is not a regular file");
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
    if (!java.util.Collections.disjoint(perms, GROUP_OR_OTHERS)) {
      throw new MasterKeyException("master keyset " + file + " is accessible by group or others (mode "
          + PosixFilePermissions.toString(perms) + "); refusing to start. Run: chmod 600 " + file);
    }
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private static void createAtomically(Path file, String json) throws IOException {
    FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE);
    byte[] suffix = new byte[8];
    new SecureRandom().nextBytes(suffix);
    Path tmp = file.resolveSibling("." + KEYSET_FILE + "." + HexFormat.of().formatHex(suffix) + ".tmp");
    try {
      try (SeekableByteChannel ch = Files.newByteChannel(tmp,
          EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.SYNC), ownerOnly)) {
        ByteBuffer buf = ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
      }
      // link(2) fails if the target exists, so a concurrent starter's keyset is never replaced;
      // a plain move (no REPLACE_EXISTING) is the fallback where hard links are unsupported.
      try {
        Files.createLink(file, tmp);
      } catch (FileAlreadyExistsException e) {
        return;
      } catch (UnsupportedOperationException | FileSystemException e) {
        moveIfAbsent(tmp, file);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void moveIfAbsent(Path tmp, Path file) throws IOException {
    try {
      Files.move(tmp, file);
    } catch (FileAlreadyExistsException e) {
      // Another process won the race; its keyset is the one to use.
    }
  }

  private static KeysetHandle generate() {
    try {
      AeadConfig.register();
      return KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate an AES-256-GCM keyset", e);
    }
  }

  private static String serialize(KeysetHandle handle) {
    try {
      return TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot serialize keyset", e);
    }
  }

  private static KeysetHandle parse(String json, String origin) {
    try {
      AeadConfig.register();
      return TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException | RuntimeException e) {
      // The cause may quote parts of the input; keep only its type.
      throw new MasterKeyException(origin + " does not hold a valid Tink JSON keyset ("
          + e.getClass().getSimpleName() + ")");
    }
  }
}
