package dev.lensgate.core.jwt;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/** A JWKS source whose document can be swapped or broken, counting every fetch. */
public final class CountingJwksSource implements JwksSource {
  private final AtomicInteger fetches = new AtomicInteger();
  private volatile String document;
  private volatile boolean failing;

  public CountingJwksSource(String document) {
    this.document = document;
  }

  public void setDocument(String document) {
    this.document = document;
  }

  public void setFailing(boolean failing) {
    this.failing = failing;
  }

  public int fetches() {
    return fetches.get();
  }

  @Override
  public String fetch() throws IOException {
    fetches.incrementAndGet();
    if (failing) {
      throw new IOException("issuer down");
    }
    return document;
  }
}
