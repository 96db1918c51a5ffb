package dev.lensgate.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lensgate.core.auth.KeyType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeysTest {
  @TempDir Path tmp;

  @Test
  void loadOrCreateFile_firstStart_createsKeysetWithMode0600() throws Exception {
    Path dataDir = tmp.resolve("data");
    MasterKeys.loadOrCreateFile(dataDir);
    Path file = dataDir.resolve(MasterKeys.KEYSET_FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
    assertThat(Files.list(dataDir)).as("no temporary files left").containsExactly(file);
  }

  @Test
  void loadOrCreateFile_secondStart_reusesSameMaterial() {
    KeyMaterial first = MasterKeys.loadOrCreateFile(tmp);
    KeyMaterial second = MasterKeys.loadOrCreateFile(tmp);
    assertThat(first.pepper(KeyType.SK).equalsConstantTime(second.pepper(KeyType.SK))).isTrue();
    assertThat(first.cursorKey().equalsConstantTime(second.cursorKey())).isTrue();
    byte[] sealed = first.envelope().seal(SecretBytes.fromUtf8("pw"), new CredentialBinding("e", "s"));
    assertThat(second.envelope().open(sealed, new CredentialBinding("e", "s")).revealUtf8()).isEqualTo("pw");
  }

  @Test
  void loadOrCreateFile_worldReadable0644_refusesToStart() throws Exception {
    MasterKeys.loadOrCreateFile(tmp);
    Path file = tmp.resolve(MasterKeys.KEYSET_FILE);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> MasterKeys.loadOrCreateFile(tmp))
        .isInstanceOf(MasterKeyException.class)
        .hasMessageContaining("chmod 600");
  }

  @Test
  void loadOrCreateFile_groupReadable0640_refusesToStart() throws Exception {
    MasterKeys.loadOrCreateFile(tmp);
    Path file = tmp.resolve(MasterKeys.KEYSET_FILE);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    assertThatThrownBy(() -> MasterKeys.loadOrCreateFile(tmp)).isInstanceOf(MasterKeyException.class);
  }

  @Test
  void loadOrCreateFile_garbageFile_refusesWithoutEchoingContent() throws Exception {
    Path file = tmp.resolve(MasterKeys.KEYSET_FILE);
    Files.writeString(file, "{\"not\":\"a keyset SENTINEL\"}");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> MasterKeys.loadOrCreateFile(tmp))
        .isInstanceOf(MasterKeyException.class)
        .hasMessageNotContaining("SENTINEL")
        .hasNoCause();
  }

  @Test
  void loadOrCreateFile_pathIsDirectory_refuses() throws Exception {
    Files.createDirectory(tmp.resolve(MasterKeys.KEYSET_FILE));
    assertThatThrownBy(() -> MasterKeys.loadOrCreateFile(tmp)).isInstanceOf(MasterKeyException.class);
  }

  @Test
  void load_environmentValueSet_usesItAndWritesNothing() {
    String value = MasterKeys.newEnvironmentValue();
    KeyMaterial a = MasterKeys.load(tmp, Map.of(MasterKeys.ENV_VAR, value));
    KeyMaterial b = MasterKeys.fromEnvironmentValue(value);
    assertThat(a.pepper(KeyType.LP).equalsConstantTime(b.pepper(KeyType.LP))).isTrue();
    assertThat(tmp.resolve(MasterKeys.KEYSET_FILE)).doesNotExist();
  }

  @Test
  void load_environmentValueNotBase64_refuses() {
    assertThatThrownBy(() -> MasterKeys.load(tmp, Map.of(MasterKeys.ENV_VAR, "%%%not base64")))
        .isInstanceOf(MasterKeyException.class)
        .hasMessageContaining(MasterKeys.ENV_VAR);
  }

  @Test
  void load_environmentValueNotAKeyset_refuses() {
    String notKeyset = Base64.getEncoder().encodeToString("{\"key\":[]}".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> MasterKeys.fromEnvironmentValue(notKeyset)).isInstanceOf(MasterKeyException.class);
  }

  @Test
  void load_environmentBlank_fallsBackToFile() {
    MasterKeys.load(tmp, Map.of(MasterKeys.ENV_VAR, "  "));
    assertThat(tmp.resolve(MasterKeys.KEYSET_FILE)).exists();
  }
}
