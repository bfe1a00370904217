package dev.sameface.evaluation;

import dev.sameface.api.Embedding;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.Template;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PairScorerTest {
    private static List<Template> templates(int n, int dim, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Template> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i % 50 == 7) {
                out.add(Template.failed("m", ErrorCode.NO_FACE));
                continue;
            }
            float[] v = new float[dim];
            for (int k = 0; k < dim; k++) {
                v[k] = (float) r.nextGaussian();
            }
            out.add(Template.of("m", Embedding.normalised(v), null));
        }
        return out;
    }

    @Test
    void matrixScoresEqualNaiveDotProductsForEveryKernelAndTiling() {
        for (int dim : new int[]{512, 128, 77}) {
            List<Template> ts = templates(600, dim, dim);
            TemplateMatrix m = TemplateMatrix.of(ts);
            SplittableRandom r = new SplittableRandom(5);
            int pairs = 20_000;
            int[] a = new int[pairs];
            int[] b = new int[pairs];
            for (int i = 0; i < pairs; i++) {
                // First half random; second half in runs sharing the left row, as protocols list them (4-way kernel).
                a[i] = i < pairs / 2 ? r.nextInt(600) : (i / 13) % 600;
                b[i] = r.nextInt(600);
            }
            List<DotKernel> kernels = new ArrayList<>(List.of(new ScalarDotKernel(), DotKernel.best()));
            for (DotKernel k : kernels) {
                for (int tile : new int[]{1, 7, 256, 100_000}) {
                    float[] s = new PairScorer(k, tile).score(m, a, b, Progress.silent().start("t", pairs));
                    for (int i = 0; i < pairs; i++) {
                        Template ta = ts.get(a[i]);
                        Template tb = ts.get(b[i]);
                        if (ta.isFailed() || tb.isFailed()) {
                            assertThat(s[i]).isEqualTo(Float.NEGATIVE_INFINITY);
                        } else {
                            assertThat((double) s[i]).as("%s tile %d dim %d pair %d", k.name(), tile, dim, i)
                                    .isCloseTo(ta.embedding().dot(tb.embedding()), within(2e-6));
                        }
                    }
                }
            }
        }
    }

    @Test
    void aPairScoresTheSameBitsAloneAndInAGroupOfFourWhateverTheTiling() {
        // A distributed scorer groups pairs differently from one machine; equal thresholds need equal bits.
        for (int dim : new int[]{512, 77}) {
            TemplateMatrix m = TemplateMatrix.of(templates(300, dim, 3 + dim));
            float[] four = new float[4];
            for (DotKernel k : List.of(new ScalarDotKernel(), DotKernel.best())) {
                for (int a = 0; a < 300; a += 11) {
                    if (m.isFailed(a)) {
                        continue;
                    }
                    for (int b = 0; b + 4 <= 300; b += 4) {
                        k.dot4(m.data(), a * dim, b * dim, (b + 1) * dim, (b + 2) * dim, (b + 3) * dim, dim, four);
                        for (int q = 0; q < 4; q++) {
                            assertThat(Float.floatToIntBits(k.dot(m.data(), a * dim, (b + q) * dim, dim)))
                                    .as("%s dim %d pair %d,%d", k.name(), dim, a, b + q).isEqualTo(Float.floatToIntBits(four[q]));
                        }
                    }
                }
                int[] left = new int[5000];
                int[] right = new int[5000];
                SplittableRandom r = new SplittableRandom(9);
                for (int i = 0; i < left.length; i++) {
                    left[i] = i < 2500 ? r.nextInt(300) : (i / 7) % 300;
                    right[i] = r.nextInt(300);
                }
                float[] tiled = new PairScorer(k, 256).score(m, left, right, Progress.silent().start("t", left.length));
                float[] single = new PairScorer(k, 1).score(m, left, right, Progress.silent().start("t", left.length));
                assertThat(tiled).as("%s dim %d: scores independent of the tiling", k.name(), dim).containsExactly(single);
            }
        }
    }

    @Test
    void theSurefireRunUsesTheVectorApi() {
        // The module's surefire argLine adds jdk.incubator.vector; the launcher must do the same for full speed.
        assertThat(DotKernel.best()).isInstanceOf(VectorDotKernel.class);
    }
}
