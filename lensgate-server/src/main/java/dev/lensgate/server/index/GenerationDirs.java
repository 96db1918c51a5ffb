package dev.lensgate.server.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * The layout of one lens's index directory: generation {@code n} in {@code <lensDir>/<n>/}, and
 * {@code <lensDir>/current} naming the generation in use, replaced atomically (written to a temp
 * file, forced to disk, renamed over the old one) so a crash leaves either the old or the new
 * pointer, never a torn one. Stateless.
 */
final class GenerationDirs {
  static final String POINTER = "current";

  private GenerationDirs() {}

  /** Generation numbers that have a directory. */
  static List<Long> numbers(Path lensDir) {
    List<Long> out = new java.util.ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(lensDir)) {
      for (Path p : dirs) {
        String name = p.getFileName().toString();
        if (Files.isDirectory(p) && name.matches("[0-9]{1,18}")) {
          out.add(Long.parseLong(name));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static Path dir(Path lensDir, long generation) {
    return lensDir.resolve(Long.toString(generation));
  }

  static Optional<Long> readPointer(Path lensDir) throws IOException {
    Path p = lensDir.resolve(POINTER);
    if (!Files.exists(p)) {
      return Optional.empty();
    }
    String text = Files.readString(p, StandardCharsets.US_ASCII).trim();
    if (!text.matches("[0-9]{1,18}")) {
      throw new IOException("corrupt generation pointer in " + lensDir);
    }
    return Optional.of(Long.parseLong(text));
  }

  /** Writes the pointer to a temp file, forces it to disk, then renames it over the old one. */
  static void writePointer(Path lensDir, long generation) throws IOException {
    Path tmp = lensDir.resolve(POINTER + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap((generation + "\n").getBytes(StandardCharsets.US_ASCII)));
      ch.force(true);
    }
    Files.move(tmp, lensDir.resolve(POINTER), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
