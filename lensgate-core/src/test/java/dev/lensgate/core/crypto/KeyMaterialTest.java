package dev.lensgate.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.core.auth.KeyType;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyMaterialTest {
  @Test
  void peppersAndCursorKey_allDistinctAnd32Bytes() {
    KeyMaterial m = MasterKeys.ephemeral();
    Set<String> seen = new HashSet<>();
    for (KeyType type : KeyType.values()) {
      SecretBytes pepper = m.pepper(type);
      assertThat(pepper.length()).isEqualTo(32);
      seen.add(HexFormat.of().formatHex(pepper.reveal()));
    }
    assertThat(m.cursorKey().length()).isEqualTo(32);
    seen.add(HexFormat.of().formatHex(m.cursorKey().reveal()));
    assertThat(seen).hasSize(KeyType.values().length + 1);
  }

  @Test
  void pepper_differentMasterKeys_differ() {
    assertThat(MasterKeys.ephemeral().pepper(KeyType.SK)
        .equalsConstantTime(MasterKeys.ephemeral().pepper(KeyType.SK))).isFalse();
  }

  @Test
  void pepper_returnsCopy_wipingItDoesNotAffectMaterial() {
    KeyMaterial m = MasterKeys.ephemeral();
    SecretBytes first = m.pepper(KeyType.PK);
    byte[] before = first.reveal();
    first.wipe();
    assertThat(m.pepper(KeyType.PK).reveal()).isEqualTo(before);
  }

  @Test
  void toString_redacted() {
    assertThat(MasterKeys.ephemeral().toString()).isEqualTo("KeyMaterial[redacted]");
  }
}
