package io.sluice.local;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Flux's own controllers (deploy/local/flux-controllers: source-controller with
 * kustomize-controller or helm-controller) running against the stack's cluster: the Flux a cluster
 * ran before Sluice, for the migration tests.
 */
public final class FluxControllers implements AutoCloseable {
    private final Path repoRoot;
    private final Path runDir;

    private FluxControllers(Path repoRoot, Path runDir) {
        this.repoRoot = repoRoot;
        this.runDir = runDir;
    }

    /**
     * Installs the CRDs they need (their own, among them Bucket and ExternalArtifact, which the
     * stack lacks), then starts {@code controllers}, watching {@code namespace} only.
     */
    public static FluxControllers start(
            Path repoRoot,
            Path runDir,
            Path kubeconfig,
            KubernetesClient client,
            String namespace,
            String... controllers)
            throws IOException, InterruptedException {
        return start(
                repoRoot, runDir, kubeconfig, client, namespace, List.of(controllers), List.of());
    }

    /** As above, with {@code flags} given to every controller, such as {@code --concurrent=20}. */
    public static FluxControllers start(
            Path repoRoot,
            Path runDir,
            Path kubeconfig,
            KubernetesClient client,
            String namespace,
            List<String> controllers,
            List<String> flags)
            throws IOException, InterruptedException {
        Path built =
                Path.of(
                        Launcher.output(
                                repoRoot.resolve("deploy/local/flux-controllers/build"),
                                controllers.toArray(String[]::new)));
        try (Stream<Path> crds = Files.list(built.resolve("crds"))) {
            for (Path crd : crds.sorted().toList()) {
                Manifests.apply(client, Files.readString(crd));
                LocalStack.awaitEstablished(
                        client,
                        client.getKubernetesSerialization()
                                .unmarshal(Files.readString(crd), HasMetadata.class)
                                .getMetadata()
                                .getName());
            }
        }
        List<String> options =
                new ArrayList<>(
                        List.of(
                                "--kubeconfig",
                                kubeconfig.toString(),
                                "--namespace",
                                namespace,
                                "--controllers",
                                String.join(",", controllers)));
        if (!flags.isEmpty()) {
            options.add("--");
            options.addAll(flags);
        }
        Launcher.run(
                repoRoot.resolve("deploy/local/flux-controllers/start"),
                runDir,
                runDir.resolveSibling("flux-controllers-start.log"),
                options.toArray(String[]::new));
        return new FluxControllers(repoRoot, runDir);
    }

    public Path logs() {
        return runDir.resolve("logs");
    }

    @Override
    public void close() {
        Launcher.stop(repoRoot, runDir);
    }
}
