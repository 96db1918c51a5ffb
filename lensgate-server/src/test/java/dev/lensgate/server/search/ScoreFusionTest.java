package dev.lensgate.server.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.search.ScoreDoc;
import org.junit.jupiter.api.Test;

class ScoreFusionTest {
  static ScoreDoc[] docs(float... docAndScore) {
    ScoreDoc[] out = new ScoreDoc[docAndScore.length / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = new ScoreDoc((int) docAndScore[2 * i], docAndScore[2 * i + 1]);
    }
    return out;
  }

  static List<Integer> order(List<ScoreFusion.Fused> fused) {
    List<Integer> out = new ArrayList<>();
    fused.forEach(f -> out.add(f.doc()));
    return out;
  }

  @Test
  void relative_minMaxPerList_weightsSemanticByAlpha_missingScoresZero() {
    // keyword raw BM25: doc 1 = 9 (max), doc 2 = 5, doc 3 = 1 (min) -> 1, 0.5, 0
    // semantic: doc 2 = 0.9 (max), doc 4 = 0.7, doc 1 = 0.5 (min) -> 1, 0.5, 0
    List<ScoreFusion.Fused> fused = ScoreFusion.relative(docs(1, 9, 2, 5, 3, 1), docs(2, 0.9f, 4, 0.7f, 1, 0.5f), 0.75);
    assertThat(order(fused)).containsExactly(2, 4, 1, 3);
    assertThat(fused.get(0).score()).isCloseTo(0.75 * 1 + 0.25 * 0.5, offset(1e-6)); // doc 2: both lists
    assertThat(fused.get(1).score()).isCloseTo(0.75 * 0.5, offset(1e-6)); // doc 4: semantic only
    assertThat(fused.get(2).score()).isCloseTo(0.25 * 1, offset(1e-6)); // doc 1: keyword max, semantic min
    assertThat(fused.get(3).score()).isCloseTo(0.0, offset(1e-6)); // doc 3: keyword min only
  }

  @Test
  void relative_firstInBothLists_scoresOne_andKeywordOnlyCandidateKeepsItsShare() {
    List<ScoreFusion.Fused> fused = ScoreFusion.relative(docs(5, 12, 6, 3), docs(5, 0.8f, 7, 0.6f), 0.75);
    assertThat(fused.get(0).doc()).isEqualTo(5);
    assertThat(fused.get(0).score()).isCloseTo(1.0, offset(1e-9));
    assertThat(order(fused)).containsExactlyInAnyOrder(5, 6, 7);
    assertThat(fused).filteredOn(f -> f.doc() == 6).singleElement()
        .satisfies(f -> assertThat(f.score()).isCloseTo(0.0, offset(1e-9)));
  }

  @Test
  void relative_equalScoresInAList_allNormalizeToOne_emptyListsContributeNothing() {
    List<ScoreFusion.Fused> onlyKeyword = ScoreFusion.relative(docs(1, 2, 2, 2), new ScoreDoc[0], 0.75);
    assertThat(onlyKeyword).extracting(ScoreFusion.Fused::score).containsOnly(0.25);
    assertThat(order(onlyKeyword)).containsExactly(1, 2); // tie: document number
    assertThat(ScoreFusion.relative(new ScoreDoc[0], new ScoreDoc[0], 0.75)).isEmpty();
    List<ScoreFusion.Fused> onlySemantic = ScoreFusion.relative(new ScoreDoc[0], docs(3, 0.9f, 4, 0.1f), 0.75);
    assertThat(order(onlySemantic)).containsExactly(3, 4);
    assertThat(onlySemantic.get(0).score()).isCloseTo(0.75, offset(1e-9));
  }

  @Test
  void relative_tieOnFusedScore_brokenBySemantic() {
    // alpha 0.5: doc 1 = 0.5*1 + 0.5*0 ; doc 2 = 0.5*0 + 0.5*1 -> equal; doc 2 wins on semantic.
    List<ScoreFusion.Fused> fused = ScoreFusion.relative(docs(1, 4, 2, 1), docs(2, 0.9f, 1, 0.2f), 0.5);
    assertThat(order(fused)).containsExactly(2, 1);
  }

  @Test
  void relative_randomLists_scoresInUnitRange_sortedBest_andInputsUntouched() {
    Random rnd = new Random(7);
    for (int round = 0; round < 200; round++) {
      ScoreDoc[] k = randomList(rnd, 50f);
      ScoreDoc[] s = randomList(rnd, 1f);
      float firstK = k.length == 0 ? 0 : k[0].score;
      double alpha = rnd.nextInt(5) / 4.0;
      List<ScoreFusion.Fused> fused = ScoreFusion.relative(k, s, alpha);
      double previous = Double.MAX_VALUE;
      for (ScoreFusion.Fused f : fused) {
        assertThat(f.score()).isBetween(0.0, 1.0).isLessThanOrEqualTo(previous);
        previous = f.score();
      }
      if (k.length > 0) {
        assertThat(k[0].score).isEqualTo(firstK);
      }
    }
  }

  @Test
  void relative_alphaOutsideUnitRange_isRefused() {
    assertThatThrownBy(() -> ScoreFusion.relative(new ScoreDoc[0], new ScoreDoc[0], 1.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ScoreFusion.relative(new ScoreDoc[0], new ScoreDoc[0], Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static ScoreDoc[] randomList(Random rnd, float scale) {
    int n = rnd.nextInt(12);
    ScoreDoc[] out = new ScoreDoc[n];
    for (int i = 0; i < n; i++) {
      out[i] = new ScoreDoc(rnd.nextInt(30) * 100 + i, rnd.nextFloat() * scale);
    }
    return out;
  }
}
