package dev.sameface.cli;

import dev.sameface.evaluation.LfwPairsProtocol;
import dev.sameface.evaluation.PairSet;
import dev.sameface.pipeline.image.InputFiles;
import dev.sameface.server.LoadTest;
import dev.sameface.server.ServerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "serve-load", description = {"Load-test the HTTP server on loopback with LFW photo pairs, bounded in requests and time.",
        "For each pool size, verifications at each concurrency; then a long run at the largest pool with the process's RSS before and after.",
        "Prints one line per step and a Markdown table. CPU-heavy: on a shared machine run it under the CPU lock (flock)."})
final class ServeLoadCommand implements Callable<Integer> {
    @Mixin
    PipelineOptions pipeline;

    @Option(names = "--pairs", required = true, paramLabel = "FILE", description = "LFW pairs.txt.")
    Path pairsFile;

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "LFW image root (images_deepfunneled).")
    Path images;

    @Option(names = "--photo-pairs", paramLabel = "N", description = "How many pairs of pairs.txt to cycle through (default: ${DEFAULT-VALUE}).", defaultValue = "200")
    int photoPairs;

    @Option(names = "--pipelines", paramLabel = "N,N", split = ",", description = "Pool sizes (default: 1 and the number of cores).")
    List<Integer> pipelines;

    @Option(names = "--concurrency", paramLabel = "N,N", split = ",", description = "Concurrent clients per step (default: ${DEFAULT-VALUE}).",
            defaultValue = "1,2,4,8,16,32")
    List<Integer> concurrency;

    @Option(names = "--requests", paramLabel = "N", description = "Requests per step (default: ${DEFAULT-VALUE}).", defaultValue = "200")
    int requests;

    @Option(names = "--long-run", paramLabel = "N", description = "Requests of the long run that measures RSS (default: ${DEFAULT-VALUE}).", defaultValue = "10000")
    int longRun;

    @Option(names = "--max-seconds", paramLabel = "S", description = "Bound on the whole run (default: ${DEFAULT-VALUE}).", defaultValue = "900")
    long maxSeconds;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PairSet set = LfwPairsProtocol.read(pairsFile, images, true);
        List<LoadTest.Pair> pairs = new ArrayList<>();
        int n = Math.min(photoPairs, set.size());
        for (int k = 0; k < n; k++) {
            int i = (int) ((long) k * set.size() / n); // spread over the file: its folds alternate genuine and impostor blocks
            pairs.add(new LoadTest.Pair(InputFiles.read(set.images().get(set.left()[i])), InputFiles.read(set.images().get(set.right()[i]))));
        }
        List<Integer> pools = pipelines != null ? pipelines : List.of(1, Runtime.getRuntime().availableProcessors()).stream().distinct().toList();
        var out = spec.commandLine().getOut();
        LoadTest test = new LoadTest(pipeline.resolve(), ServerSettings.defaults(), pairs, Duration.ofSeconds(maxSeconds), out);
        LoadTest.Report report = test.run(pools, concurrency, requests, longRun);
        out.println();
        out.print(LoadTest.markdown(report, LoadTest.cpuName()));
        out.flush(); // print() does not flush an auto-flushing writer, and the command ends in System.exit
        return 0;
    }
}
