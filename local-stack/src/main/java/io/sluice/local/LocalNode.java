package io.sluice.local;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real node beside the control plane's kwok nodes (deploy/local/node/start): containerd, runc and
 * a kubelet on this machine, tainted so that only Sluice's own pods run there. Stopping it kills
 * its containers and removes the Node.
 */
public final class LocalNode implements AutoCloseable {
    static final String NAME = "sluice-node";
    private final Path repoRoot;
    private final Path runDir;
    private final KubernetesClient client;

    private LocalNode(Path repoRoot, Path runDir, KubernetesClient client) {
        this.repoRoot = repoRoot;
        this.runDir = runDir;
        this.client = client;
    }

    /** Starts it with {@code images} loaded, and waits until it is Ready. */
    static LocalNode start(
            Path repoRoot, Path runDir, Path kubeconfig, KubernetesClient client, List<Path> images)
            throws IOException, InterruptedException {
        List<String> options = new ArrayList<>(List.of("--kubeconfig", kubeconfig.toString()));
        images.forEach(image -> options.addAll(List.of("--image", image.toString())));
        Launcher.run(
                repoRoot.resolve("deploy/local/node/start"),
                runDir,
                runDir.resolveSibling("node-start.log"),
                options.toArray(String[]::new));
        LocalNode node = new LocalNode(repoRoot, runDir, client);
        try {
            client.nodes()
                    .withName(NAME)
                    .waitUntilCondition(LocalNode::isReady, 90, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            node.close();
            throw new IOException(
                    "node " + NAME + " not Ready in 90 s; see " + runDir.resolve("logs"), e);
        }
        return node;
    }

    /** Where the kubelet writes its containers' logs (podLogsDir). */
    public Path podLogs() {
        return runDir.resolve("pod-logs");
    }

    private static boolean isReady(Node node) {
        return node != null
                && node.getStatus() != null
                && node.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    @Override
    public void close() {
        Launcher.stop(repoRoot.resolve("deploy/local/node/stop"), runDir, "the node");
        client.nodes().withName(NAME).delete();
    }
}
