package dev.sameface.evaluation;

import dev.sameface.api.Embedding;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.Template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test data for the evaluation's own logic (not a stand-in for an engine: the real pipeline has its own test here).
 * An "image" is a small text file {@code subject:index}; its template is the subject's direction plus noise, so
 * genuine pairs score high and impostors near zero; a file reading {@code FAIL} enrols as a failed template.
 */
final class SyntheticFaces {
    private SyntheticFaces() {
    }

    /** Writes {@code people} folders with {@code 1 + (p % maxPerPerson)} images each; every 17th image fails. */
    static Path people(Path root, int people, int maxPerPerson) throws IOException {
        int k = 0;
        for (int p = 0; p < people; p++) {
            Path dir = Files.createDirectories(root.resolve(String.format("Person_%03d", p)));
            int n = 1 + (p % maxPerPerson);
            for (int i = 1; i <= n; i++) {
                String content = (k++ % 17 == 16) ? "FAIL:" + p + ":" + i : p + ":" + i;
                Files.writeString(dir.resolve(String.format("Person_%03d_%04d.jpg", p, i)), content);
            }
        }
        return root;
    }

    static final class Extractor implements TemplateExtractor {
        final AtomicInteger calls = new AtomicInteger();
        private final String fingerprint;
        private final double noise;
        private boolean closed;

        Extractor(String fingerprint, double noise) {
            this.fingerprint = fingerprint;
            this.noise = noise;
        }

        @Override
        public Template extract(Path image) {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            calls.incrementAndGet();
            String s;
            try {
                s = Files.readString(image).strip();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (s.startsWith("FAIL")) {
                return Template.failed("synthetic-64", ErrorCode.NO_FACE);
            }
            String[] t = s.split(":");
            SplittableRandom person = new SplittableRandom(Long.parseLong(t[0]) * 7919);
            SplittableRandom shot = new SplittableRandom(s.hashCode() * 31L + fingerprint.hashCode());
            float[] v = new float[64];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (person.nextGaussian() + noise * shot.nextGaussian());
            }
            return Template.of("synthetic-64", Embedding.normalised(v), null);
        }

        @Override
        public String identity() {
            return fingerprint;
        }

        @Override
        public String fingerprint() {
            return fingerprint;
        }

        @Override
        public String describe() {
            return "synthetic faces, noise " + noise + ", 64-d";
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
