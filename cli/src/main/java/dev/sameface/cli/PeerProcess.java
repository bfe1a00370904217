package dev.sameface.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Python peer benchmark (tools/peer/peer.py, an InsightFace-style pipeline on the same ONNX files) as a child
 * process: one photo path a line in, one JSON line out. Benchmark tooling only: nothing of sameface's inference
 * runs through it. Its venv is made on first use by tools/peer/setup.sh. The child ends with us: closing its stdin
 * ends it, and a shutdown hook kills it if the JVM exits first.
 */
final class PeerProcess implements AutoCloseable {
    /** One photo's peer result: per-stage ms, or {@code error} and nothing else. */
    record Result(String error, double decodeMs, double detectMs, double alignMs, double embedMs, double matchMs,
                  double templateMs, double[] landmarks, float[] embedding) {
        boolean failed() {
            return error != null;
        }
    }

    /** The detector settings the Java pipeline runs with, handed to the peer so both decide alike. */
    record Settings(Path home, String detectorModel, String onetModel, String embedderModel,
                    double scoreThreshold, double nmsThreshold, int topK, boolean flushDenormals, Path embedderFile) {
        /** The same, with ONNX Runtime's session.set_denormal_as_zero on or off in the peer. */
        Settings withFlushDenormals(boolean flush) {
            return new Settings(home, detectorModel, onetModel, embedderModel, scoreThreshold, nmsThreshold, topK, flush, embedderFile);
        }

        /** The same, with the embedder loaded from {@code file} (its int8 copy) instead of its f32 ONNX file. */
        Settings withEmbedderFile(Path file) {
            return new Settings(home, detectorModel, onetModel, embedderModel, scoreThreshold, nmsThreshold, topK, flushDenormals, file);
        }
    }

    private final Process process;
    private final BufferedWriter in;
    // The reader that consumed the ready line keeps its buffer, so it reads the results too.
    private final BufferedReader reader;
    private final Thread killer;
    private final String versions;
    private boolean closed;

    private PeerProcess(Process process, BufferedReader reader, String versions, Thread killer) {
        this.process = process;
        this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.reader = reader;
        this.versions = versions;
        this.killer = killer;
    }

    /**
     * Makes the venv if needed (its progress goes to stderr) and starts the peer.
     *
     * @param tools the checkout's tools/ folder
     */
    static PeerProcess start(Path tools, Settings s) {
        Path setup = tools.resolve("peer").resolve("setup.sh");
        Path script = tools.resolve("peer").resolve("peer.py");
        if (!Files.isRegularFile(setup) || !Files.isRegularFile(script)) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "the Python peer needs the source checkout's tools/peer/ (not found under "
                    + tools + "); run ./sameface from the checkout");
        }
        String python = venvPython(setup, s.home());
        List<String> cmd = new ArrayList<>(List.of(python, script.toString(), "--home", s.home().toString(),
                "--detector", s.detectorModel(), "--onet", s.onetModel(), "--embedder", s.embedderModel(),
                "--score-threshold", Double.toString(s.scoreThreshold()), "--nms-threshold", Double.toString(s.nmsThreshold()),
                "--top-k", Integer.toString(s.topK())));
        if (!s.flushDenormals()) {
            cmd.add("--keep-denormals");
        }
        if (s.embedderFile() != null) {
            cmd.addAll(List.of("--embedder-file", s.embedderFile().toString()));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        // One thread for every native pool the peer may load (peer.py sets them too, before its imports).
        for (String v : List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")) {
            pb.environment().put(v, "1");
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new FaceException(ErrorCode.ENGINE_UNAVAILABLE, "cannot start the Python peer (" + python + "): " + e.getMessage(), e);
        }
        Thread killer = new Thread(p::destroyForcibly, "sameface-peer-killer");
        Runtime.getRuntime().addShutdownHook(killer);
        PeerProcess peer = null;
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String ready = r.readLine();
            JsonNode n = ready == null ? null : parse(ready);
            if (n == null || !n.path("ready").asBoolean()) {
                throw new FaceException(ErrorCode.ENGINE_UNAVAILABLE, "the Python peer did not start (" + (ready == null
                        ? "exit " + exitCode(p) : "said: " + ready) + "); see its error above");
            }
            String versions = "python " + n.path("python").asText() + ", onnxruntime " + n.path("onnxruntime").asText()
                    + ", opencv " + n.path("opencv").asText() + ", numpy " + n.path("numpy").asText() + ", cv2 threads "
                    + n.path("cv2_threads").asInt() + ", denormals " + (n.path("denormal_as_zero").asBoolean() ? "flushed" : "kept")
                    + ", embedder " + n.path("embedder_file").asText();
            peer = new PeerProcess(p, r, versions, killer);
            return peer;
        } catch (IOException e) {
            throw new FaceException(ErrorCode.ENGINE_UNAVAILABLE, "the Python peer did not start: " + e.getMessage(), e);
        } finally {
            if (peer == null) {
                p.destroyForcibly();
                unhook(killer);
            }
        }
    }

    private static String venvPython(Path setup, Path home) {
        String remedy = "; make it with: bash " + setup + " " + home;
        try {
            Process p = new ProcessBuilder("bash", setup.toString(), home.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int code = p.waitFor();
            if (code != 0 || out.isEmpty() || !Files.isExecutable(Path.of(out))) {
                throw new FaceException(ErrorCode.ENGINE_UNAVAILABLE, "no Python venv for the peer benchmark (setup exit " + code + ", see above)" + remedy);
            }
            return out;
        } catch (IOException e) {
            throw new FaceException(ErrorCode.ENGINE_UNAVAILABLE, "cannot run the peer's set-up (" + e.getMessage() + ")" + remedy, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FaceException(ErrorCode.ENGINE_UNAVAILABLE, "interrupted while making the peer's venv" + remedy, e);
        }
    }

    /** Whether the child process has ended. */
    boolean exited() {
        return !process.isAlive();
    }

    /** "python 3.11.7, onnxruntime 1.23.2, ...": what the peer runs on. */
    String describe() {
        return versions;
    }

    /** Runs the peer's whole pipeline on one photo. */
    Result enrol(Path photo) {
        if (closed) {
            throw new FaceException(ErrorCode.INTERNAL_ERROR, "the Python peer was used after close");
        }
        String line;
        try {
            in.write(photo.toAbsolutePath().toString());
            in.write('\n');
            in.flush();
            line = reader.readLine();
        } catch (IOException e) {
            throw new FaceException(ErrorCode.INFERENCE_ERROR, "the Python peer stopped answering (" + e.getMessage() + "); see its error above", e);
        }
        if (line == null) {
            throw new FaceException(ErrorCode.INFERENCE_ERROR, "the Python peer exited (" + exitCode(process) + ") on " + photo + "; see its error above");
        }
        JsonNode n = parse(line);
        if (n.hasNonNull("error")) {
            return new Result(n.get("error").asText(), 0, 0, 0, 0, 0, 0, null, null);
        }
        double[] lm = new double[10];
        for (int i = 0; i < lm.length; i++) {
            lm[i] = n.get("landmarks").get(i).asDouble();
        }
        JsonNode e = n.get("embedding");
        float[] emb = new float[e.size()];
        for (int i = 0; i < emb.length; i++) {
            emb[i] = (float) e.get(i).asDouble();
        }
        return new Result(null, n.get("decode_ms").asDouble(), n.get("detect_ms").asDouble(), n.get("align_ms").asDouble(),
                n.get("embed_ms").asDouble(), n.get("match_ms").asDouble(), n.get("template_ms").asDouble(), lm, emb);
    }

    private static JsonNode parse(String line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new FaceException(ErrorCode.INFERENCE_ERROR, "the Python peer wrote a line that is not JSON: " + line, e);
        }
    }

    private static String exitCode(Process p) {
        try {
            return p.waitFor(5, TimeUnit.SECONDS) ? "exit " + p.exitValue() : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Closes the peer's stdin (it exits at end of input), and kills it if it has not exited within 5 s. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            in.close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            // Its stdin is already closed: it has exited or is exiting; make sure.
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            unhook(killer);
        }
    }

    private static void unhook(Thread killer) {
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already exiting: the hook runs and kills the child, which is what removal would have led to.
        }
    }
}
