package io.sluice.render.bench;

import io.sluice.render.build.FluxOverlay;
import io.sluice.render.build.KustomizeRunner;
import io.sluice.render.build.ManifestBuilder;
import io.sluice.render.build.PinnedTool;
import io.sluice.render.helm.ChartRenderer;
import io.sluice.render.helm.CrdPolicy;
import io.sluice.render.helm.HelmCapabilities;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code bench/render}: median time per render of a 200-file plain directory and of the traefik
 * chart, by Sluice and by the kustomize and helm binaries directly. Not a test: it prints figures.
 *
 * <p>Arguments: kustomize binary, helm binary, traefik chart archive, runs.
 */
public final class RenderBench {
    public static void main(String[] args) throws Exception {
        String kustomize = args[0];
        String helm = args[1];
        Path traefik = Path.of(args[2]);
        int runs = Integer.parseInt(args[3]);

        Path tree = Files.createTempDirectory("bench-tree");
        Path app = Files.createDirectories(tree.resolve("app"));
        for (int i = 0; i < 200; i++) {
            Files.writeString(
                    app.resolve(String.format("cm-%03d.yaml", i)),
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-"
                            + i
                            + "\n  namespace: bench\ndata:\n  key: value-"
                            + i
                            + "\n  other: \""
                            + "x".repeat(200)
                            + "\"\n");
        }
        ManifestBuilder builder =
                new ManifestBuilder(new KustomizeRunner(List.of(kustomize, "build")));
        Path generated = app.resolve("kustomization.yaml");
        report(
                "200-file directory, Sluice (generate + kustomize + parse)",
                time(
                        runs,
                        () -> {
                            Files.deleteIfExists(generated);
                            builder.build(tree, "app", FluxOverlay.NONE);
                        }));
        builder.build(tree, "app", FluxOverlay.NONE);
        report(
                "200-file directory, kustomize build binary",
                time(runs, () -> run(kustomize, "build", app.toString())));

        ChartRenderer renderer =
                new ChartRenderer(
                        new PinnedTool(List.of(helm)),
                        new KustomizeRunner(List.of(kustomize, "build")));
        ChartRenderer.Target target =
                new ChartRenderer.Target(
                        new HelmCapabilities("v1.37.2", List.of()), false, 1, false, null, false);
        report(
                "traefik chart, Sluice (helm template, crds/)",
                time(
                        runs,
                        () ->
                                renderer.render(
                                        traefik,
                                        "traefik",
                                        "traefik",
                                        Map.of(),
                                        target,
                                        CrdPolicy.CREATE_REPLACE,
                                        null,
                                        null)));
        report(
                "traefik chart, helm template binary",
                time(
                        runs,
                        () ->
                                run(
                                        helm,
                                        "template",
                                        "traefik",
                                        traefik.toString(),
                                        "--namespace",
                                        "traefik",
                                        "--kube-version",
                                        "v1.37.2",
                                        "--include-crds",
                                        "--skip-tests")));
    }

    private interface Work {
        void run() throws Exception;
    }

    private static List<Long> time(int runs, Work work) throws Exception {
        work.run(); // warm-up: class loading, the native library, the page cache
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            work.run();
            micros.add((System.nanoTime() - start) / 1000);
        }
        return micros;
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }

    private static void report(String what, List<Long> micros) {
        List<Long> sorted = micros.stream().sorted().toList();
        System.out.printf(
                "%-58s median %8.1f ms  (p10 %.1f, p90 %.1f, n=%d)%n",
                what,
                sorted.get(sorted.size() / 2) / 1000.0,
                sorted.get(sorted.size() / 10) / 1000.0,
                sorted.get(sorted.size() * 9 / 10) / 1000.0,
                sorted.size());
    }

    private RenderBench() {}
}
