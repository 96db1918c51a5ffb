package dev.lensgate.bench;

import dev.lensgate.server.embed.LocalMiniLmEmbedder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Raw throughput of the built-in local embedder (texts/s), the baseline issue 4's indexing target
 * is measured against: {@code --texts} generated product-like sentences (seeded, 8–30 words), sent
 * in calls of {@code B} texts to a {@link LocalMiniLmEmbedder} whose batch size is {@code B}, for
 * each {@code B} of {@code --batch-sizes}, {@code --rounds} times in alternating order; prints every
 * round and the best per batch size. One warm-up pass first (model load, JIT, native caches).
 *
 * <pre>
 * java -cp lensgate-bench/target/lensgate-bench.jar dev.lensgate.bench.EmbedThroughputBenchmark \
 *     --texts 2000 --batch-sizes 1,16,32,64 --rounds 2
 * </pre>
 */
public final class EmbedThroughputBenchmark {
  private static final String[] ADJECTIVES = {"lightweight", "waterproof", "organic", "stainless", "ergonomic", "vintage",
      "compact", "rechargeable", "handmade", "breathable", "insulated", "foldable", "wireless", "premium", "durable"};
  private static final String[] NOUNS = {"jacket", "backpack", "kettle", "desk lamp", "running shoe", "chef knife",
      "yoga mat", "coffee grinder", "tent", "headphones", "wool sweater", "water bottle", "office chair", "blender",
      "garden hose", "camera bag"};
  private static final String[] DETAILS = {"with a lifetime warranty", "made from recycled materials", "for everyday use",
      "ideal for travel", "in matte black", "with adjustable straps", "dishwasher safe", "with USB-C charging",
      "for small apartments", "designed for cold weather", "with a soft-touch finish", "in three sizes",
      "that ships in plastic-free packaging", "rated five stars by hikers", "with a detachable hood"};

  private EmbedThroughputBenchmark() {}

  public static void main(String[] args) throws IOException {
    int texts = 2000;
    int rounds = 2;
    int[] batchSizes = {1, 16, 32, 64};
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--texts":
          texts = Integer.parseInt(args[i + 1]);
          break;
        case "--rounds":
          rounds = Integer.parseInt(args[i + 1]);
          break;
        case "--batch-sizes":
          batchSizes = Arrays.stream(args[i + 1].split(",")).mapToInt(s -> Integer.parseInt(s.strip())).toArray();
          break;
        default:
          throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    List<String> corpus = sentences(texts, new Random(42));
    Path cache = Files.createTempDirectory("lensgate-bench-djl");
    System.out.printf(Locale.ROOT, "local embedder throughput: %d texts (avg %.0f chars), %d cores, java %s%n", texts,
        corpus.stream().mapToInt(String::length).average().orElse(0), Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    double[] best = new double[batchSizes.length];
    try (LocalMiniLmEmbedder warm = new LocalMiniLmEmbedder(32, cache)) {
      long t0 = System.nanoTime();
      warm.embed(corpus.subList(0, Math.min(64, corpus.size())));
      System.out.printf(Locale.ROOT, "warm-up (model load + 64 texts): %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      for (int r = 0; r < rounds; r++) {
        for (int k = 0; k < batchSizes.length; k++) {
          int index = r % 2 == 0 ? k : batchSizes.length - 1 - k;
          double rate = run(corpus, batchSizes[index], cache);
          best[index] = Math.max(best[index], rate);
          System.out.printf(Locale.ROOT, "round %d batch %3d: %7.1f texts/s%n", r + 1, batchSizes[index], rate);
        }
      }
    }
    System.out.println("best per batch size:");
    for (int k = 0; k < batchSizes.length; k++) {
      System.out.printf(Locale.ROOT, "  batch %3d: %7.1f texts/s%n", batchSizes[k], best[k]);
    }
  }

  private static double run(List<String> corpus, int batchSize, Path cache) {
    try (LocalMiniLmEmbedder embedder = new LocalMiniLmEmbedder(batchSize, cache)) {
      long t0 = System.nanoTime();
      int vectors = 0;
      for (int from = 0; from < corpus.size(); from += batchSize) {
        vectors += embedder.embed(corpus.subList(from, Math.min(corpus.size(), from + batchSize))).size();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (vectors != corpus.size()) {
        throw new IllegalStateException("expected " + corpus.size() + " vectors, got " + vectors);
      }
      return vectors / seconds;
    }
  }

  /** Product-like sentences: "<adjective> <noun> <detail>, model <n>, <adjective> and <adjective> ...". */
  static List<String> sentences(int n, Random random) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      StringBuilder b = new StringBuilder();
      b.append(pick(ADJECTIVES, random)).append(' ').append(pick(NOUNS, random)).append(' ').append(pick(DETAILS, random))
          .append(", model ").append(1000 + random.nextInt(9000));
      int extra = random.nextInt(4);
      for (int k = 0; k < extra; k++) {
        b.append(k == 0 ? ". Also " : " and ").append(pick(ADJECTIVES, random)).append(' ').append(pick(DETAILS, random));
      }
      out.add(b.append('.').toString());
    }
    return out;
  }

  private static String pick(String[] words, Random random) {
    return words[random.nextInt(words.length)];
  }
}
