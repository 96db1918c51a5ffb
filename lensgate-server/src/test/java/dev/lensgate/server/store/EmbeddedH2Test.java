package dev.lensgate.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.server.store.EmbeddedH2.Sharing;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmbeddedH2Test {
  private static final Optional<Set<PosixFilePermission>> OWNER_ONLY = Optional.of(PosixFilePermissions.fromString("rwx------"));

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "::1", "localhost"})
  void decide_loopbackBindAndPrivateDir_autoServer(String bind) {
    assertThat(EmbeddedH2.decide(bind, OWNER_ONLY)).isEqualTo(Sharing.AUTO_SERVER);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "0.0.0.0", "::", "10.1.2.3", "192.168.0.1", "no-such-host.invalid"})
  void decide_bindNotLoopback_thisProcessOnly(String bind) {
    assertThat(EmbeddedH2.decide(bind, OWNER_ONLY)).isEqualTo(Sharing.THIS_PROCESS_ONLY);
  }

  @Test
  void decide_unsetBindAddress_thisProcessOnly() {
    // Unset means H2 binds every interface.
    assertThat(EmbeddedH2.decide(null, OWNER_ONLY)).isEqualTo(Sharing.THIS_PROCESS_ONLY);
  }

  @ParameterizedTest
  @ValueSource(strings = {"rwxr-xr-x", "rwx--x---", "rwx-----x", "rwxrwxrwx", "rwx---r--"})
  void decide_dirOpenToGroupOrOthers_thisProcessOnly(String perms) {
    assertThat(EmbeddedH2.decide("127.0.0.1", Optional.of(PosixFilePermissions.fromString(perms))))
        .isEqualTo(Sharing.THIS_PROCESS_ONLY);
  }

  @Test
  void decide_stricterThanOwnerOnlyOrNonPosix_autoServer() {
    assertThat(EmbeddedH2.decide("127.0.0.1", Optional.of(PosixFilePermissions.fromString("rwx------"))))
        .isEqualTo(Sharing.AUTO_SERVER);
    assertThat(EmbeddedH2.decide("127.0.0.1", Optional.of(PosixFilePermissions.fromString("r-x------"))))
        .isEqualTo(Sharing.AUTO_SERVER);
    assertThat(EmbeddedH2.decide("127.0.0.1", Optional.empty())).isEqualTo(Sharing.AUTO_SERVER);
  }
}
