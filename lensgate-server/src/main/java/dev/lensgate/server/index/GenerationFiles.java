package dev.lensgate.server.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The generations on disk of one lens index, next to the one in use (layout and pointer in {@link
 * GenerationDirs}): opens the generation the pointer names, numbers new ones past every directory
 * present, and deletes the leftovers. Callers serialize calls (the index's write lock, or open).
 */
final class GenerationFiles {
  private final Path lensDir;

  GenerationFiles(Path lensDir) {
    this.lensDir = lensDir;
  }

  /** The generation the pointer names, ready for searching; empty without a pointer or its directory. */
  Optional<Generation> openPointed() throws IOException {
    Optional<Long> pointed = GenerationDirs.readPointer(lensDir);
    if (pointed.isPresent() && Files.isDirectory(GenerationDirs.dir(lensDir, pointed.get()))) {
      Generation g = Generation.open(pointed.get(), GenerationDirs.dir(lensDir, pointed.get()), false);
      g.startSearching();
      return Optional.of(g);
    }
    return Optional.empty();
  }

  /** A number above {@code current}'s (may be null) and above every generation directory present. */
  long nextNumber(Generation current) {
    long max = current == null ? 0 : current.number;
    for (long n : GenerationDirs.numbers(lensDir)) {
      max = Math.max(max, n);
    }
    return max + 1;
  }

  /** Deletes every generation directory but {@code current}'s (all of them when it is null). */
  void deleteAllBut(Generation current) {
    for (long n : GenerationDirs.numbers(lensDir)) {
      if (current == null || n != current.number) {
        Generation.deleteTree(GenerationDirs.dir(lensDir, n));
      }
    }
  }
}
