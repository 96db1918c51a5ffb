package dev.lensgate.core.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.crypto.KeyMaterial;
import dev.lensgate.core.crypto.MasterKeys;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyHasherTest {
  private final KeyMaterial material = MasterKeys.ephemeral();
  private final KeyHasher hasher = new KeyHasher(material);

  @Test
  void hash_sameTextDifferentType_differentHash() {
    String body = new ApiKeyGenerator(new SecureRandom()).generate(KeyType.SK, "dev").plaintext().revealUtf8();
    Set<String> hashes = new HashSet<>();
    for (KeyType type : KeyType.values()) {
      hashes.add(HexFormat.of().formatHex(hasher.hash(type, body)));
    }
    assertThat(hashes).hasSize(KeyType.values().length);
  }

  @Test
  void hash_deterministicPerMaterial_differentAcrossMaterials() {
    assertThat(hasher.hash(KeyType.PK, "x")).isEqualTo(new KeyHasher(material).hash(KeyType.PK, "x"));
    assertThat(hasher.hash(KeyType.PK, "x")).isNotEqualTo(new KeyHasher(MasterKeys.ephemeral()).hash(KeyType.PK, "x"));
  }

  @Test
  void hash_isPlainHmacUnderPepper_notUnkeyedDigest() throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(material.pepper(KeyType.IK).reveal(), "HmacSHA256"));
    assertThat(hasher.hash(KeyType.IK, "abc")).isEqualTo(mac.doFinal("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
  }

  @Test
  void hashForStorage_is43CharBase64Url() {
    assertThat(hasher.hashForStorage(KeyType.SK, "abc")).hasSize(43).matches("[A-Za-z0-9_-]+");
  }

  @Test
  void hash_concurrentCallers_agree() throws Exception {
    byte[] expected = hasher.hash(KeyType.SK, "concurrent");
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
      for (int i = 0; i < 200; i++) {
        results.add(pool.submit(() -> java.util.Arrays.equals(expected, hasher.hash(KeyType.SK, "concurrent"))));
      }
      for (java.util.concurrent.Future<Boolean> f : results) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
