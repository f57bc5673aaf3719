package io.sluice.local;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /** {@code options}: the start script's, such as {@code --nodes 12}. */
    public static ControlPlane start(Path repoRoot, Path runDir, String... options)
            throws IOException, InterruptedException {
        String kubeconfig =
                Launcher.run(
                        repoRoot.resolve("deploy/local/controlplane/start"),
                        runDir,
                        runDir.getParent().resolve("controlplane-start.log"),
                        options);
        return new ControlPlane(repoRoot, runDir, Path.of(kubeconfig));
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    /**
     * The kubeconfig with its certificates inline, as a user puts one in a Secret for {@code
     * spec.kubeConfig}.
     */
    public String inlineKubeconfig() throws IOException {
        String text = Files.readString(kubeconfig);
        for (String field : List.of("certificate-authority", "client-certificate", "client-key")) {
            Matcher path = Pattern.compile("(?m)^(\\s*)" + field + ": (\\S+)$").matcher(text);
            if (path.find()) {
                String data =
                        Base64.getEncoder()
                                .encodeToString(Files.readAllBytes(Path.of(path.group(2))));
                text =
                        text.substring(0, path.start())
                                + path.group(1)
                                + field
                                + "-data: "
                                + data
                                + text.substring(path.end());
            }
        }
        return text;
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
