package dev.lensgate.cli;

import picocli.CommandLine;

/** The version printed by {@code --version} and served by {@code /v1/health}. */
public final class Version implements CommandLine.IVersionProvider {
  public static String current() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"lensgate " + current()};
  }
}
