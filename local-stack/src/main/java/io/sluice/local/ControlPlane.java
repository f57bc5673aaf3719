package io.sluice.local;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real Kubernetes control plane of {@code deploy/local/controlplane/start}: etcd, API server,
 * controllers, kwok.
 */
public final class ControlPlane implements AutoCloseable {
    private final Path repoRoot;
    private final Path runDir;
    private final Path kubeconfig;

    private ControlPlane(Path repoRoot, Path runDir, Path kubeconfig) {
        this.repoRoot = repoRoot;
        this.runDir = runDir;
        this.kubeconfig = kubeconfig;
    }

    public static ControlPlane start(Path repoRoot, Path runDir)
            throws IOException, InterruptedException {
        String kubeconfig =
                Launcher.run(
                        repoRoot.resolve("deploy/local/controlplane/start"),
                        runDir,
                        runDir.getParent().resolve("controlplane-start.log"));
        return new ControlPlane(repoRoot, runDir, Path.of(kubeconfig));
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    public KubernetesClient client() throws IOException {
        return new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
                .build();
    }

    @Override
    public void close() {
        Launcher.stop(repoRoot, runDir);
    }
}
