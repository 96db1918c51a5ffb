package dev.lensgate.cli;

import dev.lensgate.core.auth.KeyType;
import java.util.Locale;
import picocli.CommandLine;

/**
 * {@code --type sk|pk|ik|lp} (a trailing {@code _} is tolerated). Runner keys are organization
 * scoped and come from {@code lensgate runners create}, so {@code rk} is refused here.
 */
final class KeyTypeConverter implements CommandLine.ITypeConverter<KeyType> {
  @Override
  public KeyType convert(String value) {
    String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    if (v.endsWith("_")) {
      v = v.substring(0, v.length() - 1);
    }
    if (v.equals("rk")) {
      throw new CommandLine.TypeConversionException("runner keys are created with 'lensgate runners create'");
    }
    return KeyType.fromPrefix(v)
        .orElseThrow(() -> new CommandLine.TypeConversionException("expected one of sk, pk, ik, lp"));
  }
}
