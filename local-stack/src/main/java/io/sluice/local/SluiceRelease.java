package io.sluice.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sluice installed as users install it: {@code helm upgrade --install} of its chart
 * (deploy/helm/assemble) with the pinned helm, onto the local node (deploy/local/node/post-render
 * puts the pods there).
 */
final class SluiceRelease {
    static final String NAME = "sluice";

    private SluiceRelease() {}

    /**
     * Installs or upgrades the release and waits until every Deployment is Available (its readiness
     * probe passing on the node).
     *
     * @param values given as {@code --set-string}
     */
    static void install(
            Path repoRoot,
            Path kubeconfig,
            String namespace,
            Map<String, String> values,
            int apiPort)
            throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                "upgrade",
                                "--install",
                                NAME,
                                Launcher.output(repoRoot.resolve("deploy/helm/assemble")),
                                "--namespace",
                                namespace,
                                "--wait",
                                "--timeout",
                                "3m",
                                "--post-renderer",
                                repoRoot.resolve("deploy/local/node/post-render").toString(),
                                "--post-renderer-args",
                                String.valueOf(apiPort)));
        values.forEach((key, value) -> command.addAll(List.of("--set-string", key + "=" + value)));
        helm(repoRoot, kubeconfig, command);
    }

    static void uninstall(Path repoRoot, Path kubeconfig, String namespace)
            throws IOException, InterruptedException {
        helm(repoRoot, kubeconfig, List.of("uninstall", NAME, "--namespace", namespace, "--wait"));
    }

    private static void helm(Path repoRoot, Path kubeconfig, List<String> arguments)
            throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Launcher.output(repoRoot.resolve("deploy/local/helm/build")),
                                "--kubeconfig",
                                kubeconfig.toString()));
        command.addAll(arguments);
        Process helm =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .start();
        String output = new String(helm.getInputStream().readAllBytes());
        if (helm.waitFor() != 0) {
            throw new IOException("helm " + arguments.get(0) + " failed: " + output);
        }
    }
}
