package dev.lensgate.server.store;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.h2.engine.SysProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC URL of the embedded metadata database, shared between processes when that is safe.
 *
 * <p>A gateway ({@code lensgate serve/demo}) and operator commands ({@code keys}, {@code push},
 * {@code sources connect}) run as separate processes on the same {@code --data-dir}. A plain H2 file
 * database is locked by the first process, so this uses H2's automatic mixed mode
 * ({@code AUTO_SERVER=TRUE}): the first process opens the file embedded and starts a TCP server on a
 * random port, writing its address and a random 128-bit key into {@code metadata.lock.db}; later
 * processes find the file locked, read that address and key, and connect over TCP. When the first
 * process closes, a remaining client reopens the file and becomes the server (H2 enables
 * auto-reconnect in this mode); an open transaction of another process is rolled back then, so
 * callers keep transactions short, as they do.
 *
 * <p>Exposure, and why it is acceptable: H2 starts that server with {@code -tcpAllowOthers} and
 * binds it to the address named by the JVM-wide system property {@value #BIND_ADDRESS_PROPERTY}, or
 * to every interface when it is unset. So the server is only enabled when that property names a
 * <em>loopback</em> address (we set {@value #LOOPBACK} when nobody set it, before H2 reads it): the
 * port then listens on loopback only, and the address written to the lock file is the loopback one.
 * A local peer still needs the key from the lock file, which lives in the data directory; the
 * server is only enabled when that directory is private to its owner (POSIX mode {@code 0700} or
 * stricter), so whoever can read the key could already read and write the database files.
 *
 * <p>Otherwise (H2 already initialised in this JVM without the property, a non-loopback value, or a
 * data directory readable by group/others) the database is opened for this process only, as before,
 * and a warning says why; the second process then fails with H2's "already in use" error.
 */
final class EmbeddedH2 {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedH2.class);

  /** H2's system property for the address its servers bind and advertise. */
  static final String BIND_ADDRESS_PROPERTY = "h2.bindAddress";
  static final String LOOPBACK = "127.0.0.1";
  static final String AUTO_SERVER = ";AUTO_SERVER=TRUE";

  /** Whether other processes may reach the database through H2's loopback server. */
  enum Sharing { AUTO_SERVER, THIS_PROCESS_ONLY }

  private static final Set<PosixFilePermission> NOT_OWNER = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private EmbeddedH2() {}

  /** The URL of {@code <dir>/metadata}; {@code dir} exists. */
  static String url(Path dir) {
    String base = "jdbc:h2:file:" + dir.resolve("metadata");
    Sharing sharing = decide(effectiveBindAddress(), permissions(dir));
    if (sharing == Sharing.AUTO_SERVER) {
      return base + AUTO_SERVER;
    }
    LOG.warn("embedded metadata store is opened for this process only: other processes on this data "
        + "directory need it to be private to its owner (chmod 700) and H2 to bind loopback ({} unset or a "
        + "loopback address before H2 is first used)", BIND_ADDRESS_PROPERTY);
    return base;
  }

  /**
   * @param bindAddress the address H2's servers bind in this JVM (null: every interface)
   * @param dirPermissions the data directory's POSIX permissions; empty when not a POSIX file system
   */
  static Sharing decide(String bindAddress, Optional<Set<PosixFilePermission>> dirPermissions) {
    if (!isLoopback(bindAddress)) {
      return Sharing.THIS_PROCESS_ONLY;
    }
    // Non-POSIX (Windows): the data directory sits in the user's profile, private by default.
    boolean privateDir = dirPermissions.map(p -> p.stream().noneMatch(NOT_OWNER::contains)).orElse(true);
    return privateDir ? Sharing.AUTO_SERVER : Sharing.THIS_PROCESS_ONLY;
  }

  /**
   * Sets {@value #BIND_ADDRESS_PROPERTY} to loopback unless someone chose a value, then returns what
   * H2 actually uses: it reads the property once, when its {@code SysProperties} class initialises,
   * so a value set after the first H2 use in this JVM has no effect.
   */
  static String effectiveBindAddress() {
    synchronized (System.getProperties()) {
      if (System.getProperty(BIND_ADDRESS_PROPERTY) == null) {
        System.setProperty(BIND_ADDRESS_PROPERTY, LOOPBACK);
      }
    }
    return SysProperties.BIND_ADDRESS;
  }

  static boolean isLoopback(String address) {
    if (address == null || address.isBlank()) {
      return false;
    }
    try {
      // H2 resolves the same way (InetAddress.getByName); a literal never touches DNS.
      return InetAddress.getByName(address.strip()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static Optional<Set<PosixFilePermission>> permissions(Path dir) {
    try {
      return Optional.of(Files.getPosixFilePermissions(dir));
    } catch (UnsupportedOperationException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StoreException("read data directory permissions", e);
    }
  }
}
