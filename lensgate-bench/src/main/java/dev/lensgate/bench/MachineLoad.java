package dev.lensgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** What every benchmark prints beside its figures: the machine's load, and its own options. */
final class MachineLoad {
  private MachineLoad() {}

  /** The 1, 5 and 15 minute load averages ({@code /proc/loadavg}), or {@code n/a}. */
  static String average() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  /** {@code --name value} pairs. */
  static Map<String, String> options(String[] args) {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected an option, got " + args[i]);
      }
      o.put(args[i], args[i + 1]);
    }
    return o;
  }
}
