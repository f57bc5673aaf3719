package io.sluice.local;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sluice's Helm chart ({@code deploy/helm/assemble}) rendered by the pinned helm, as {@code helm
 * install} would render it into {@code namespace}.
 */
public final class SluiceChart {
    private SluiceChart() {}

    /** The chart's objects, with {@code values} given as {@code --set-string}. */
    public static List<HasMetadata> render(
            Path repoRoot, KubernetesClient client, String namespace, Map<String, String> values)
            throws IOException, InterruptedException {
        String chart = Launcher.output(repoRoot.resolve("deploy/helm/assemble"));
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Launcher.output(repoRoot.resolve("deploy/local/helm/build")),
                                "template",
                                "sluice",
                                chart,
                                "--namespace",
                                namespace));
        values.forEach((key, value) -> command.addAll(List.of("--set-string", key + "=" + value)));
        Process template =
                new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] rendered = template.getInputStream().readAllBytes();
        if (template.waitFor() != 0) {
            throw new IOException("helm template of " + chart + " failed");
        }
        return client.load(new ByteArrayInputStream(rendered)).items();
    }
}
