package dev.lensgate.server.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ScoreFusionTest {
  static ScoreFusion.Candidate c(int doc, double semantic, boolean exact) {
    return new ScoreFusion.Candidate(doc, semantic, exact);
  }

  static List<Integer> order(List<ScoreFusion.Fused> fused) {
    List<Integer> out = new ArrayList<>();
    fused.forEach(f -> out.add(f.doc()));
    return out;
  }

  @Test
  void score_exactMatchClosesHalfTheGapToOne_otherRowsKeepTheirSemanticScore() {
    assertThat(ScoreFusion.score(0.8, false)).isEqualTo(0.8);
    assertThat(ScoreFusion.score(0.8, true)).isCloseTo(0.9, offset(1e-12));
    assertThat(ScoreFusion.score(0.0, true)).isCloseTo(0.5, offset(1e-12));
    assertThat(ScoreFusion.score(1.0, true)).isEqualTo(1.0);
    assertThat(ScoreFusion.score(1.0, false)).isEqualTo(1.0);
    assertThat(ScoreFusion.score(0.0, false)).isEqualTo(0.0);
  }

  @Test
  void fuse_exactMatchPassesRowsAboutAsClose_butNotARowMuchCloserInMeaning() {
    // doc 1: exact, s 0.70 -> 0.85; doc 2: s 0.80; doc 3: s 0.90; doc 4: exact, s 0.60 -> 0.80 (ties doc 2)
    List<ScoreFusion.Fused> fused = ScoreFusion.fuse(List.of(c(1, 0.70, true), c(2, 0.80, false), c(3, 0.90, false),
        c(4, 0.60, true)));
    assertThat(order(fused)).containsExactly(3, 1, 2, 4); // 2 vs 4 tie on 0.80: higher semantic first
    assertThat(fused.get(1).score()).isCloseTo(0.85, offset(1e-12));
    assertThat(fused.get(1).semantic()).isEqualTo(0.70);
  }

  @Test
  void fuse_withoutExactMatches_isTheSemanticOrderAndScores_tiesByDocNumber() {
    List<ScoreFusion.Fused> fused = ScoreFusion.fuse(List.of(c(9, 0.5, false), c(3, 0.7, false), c(5, 0.5, false)));
    assertThat(order(fused)).containsExactly(3, 5, 9);
    assertThat(fused).extracting(ScoreFusion.Fused::score).containsExactly(0.7, 0.5, 0.5);
    assertThat(ScoreFusion.fuse(List.of())).isEmpty();
  }

  @Test
  void fuse_randomCandidates_scoresInUnitRange_sortedBest_monotoneInSemantic() {
    Random rnd = new Random(7);
    for (int round = 0; round < 200; round++) {
      List<ScoreFusion.Candidate> in = new ArrayList<>();
      int n = rnd.nextInt(20);
      for (int i = 0; i < n; i++) {
        in.add(c(i, rnd.nextInt(4) == 0 ? rnd.nextInt(2) : rnd.nextDouble(), rnd.nextBoolean()));
      }
      List<ScoreFusion.Candidate> copy = List.copyOf(in);
      List<ScoreFusion.Fused> fused = ScoreFusion.fuse(in);
      assertThat(in).isEqualTo(copy);
      assertThat(fused).hasSize(n);
      double previous = Double.MAX_VALUE;
      for (ScoreFusion.Fused f : fused) {
        assertThat(f.score()).isBetween(0.0, 1.0).isLessThanOrEqualTo(previous).isGreaterThanOrEqualTo(f.semantic());
        previous = f.score();
      }
    }
  }

  @Test
  void candidate_semanticOutsideUnitRange_isRefused() {
    for (double bad : new double[] {-0.01, 1.01, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> c(1, bad, false)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
