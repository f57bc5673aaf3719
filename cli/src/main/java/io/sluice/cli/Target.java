package io.sluice.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The cluster and namespace a command looks at, with the flux CLI's flags. */
public final class Target {
    @Option(
            names = {"-n", "--namespace"},
            defaultValue = "flux-system",
            description = "the namespace scope for this operation (default: ${DEFAULT-VALUE})")
    public String namespace;

    @Option(
            names = {"-A", "--all-namespaces"},
            description = "list the requested object(s) across all namespaces")
    public boolean allNamespaces;

    @Option(
            names = "--kubeconfig",
            defaultValue = "${env:KUBECONFIG}",
            description = "path to the kubeconfig file (default: $KUBECONFIG)")
    public String kubeconfig;

    @Option(names = "--context", description = "kubernetes context to use")
    public String context;

    /** Whether an object in {@code objectNamespace} is in scope. */
    public boolean covers(String objectNamespace) {
        return allNamespaces || namespace.equals(objectNamespace);
    }

    public KubernetesClient client() throws java.io.IOException {
        Config config =
                kubeconfig == null || kubeconfig.isBlank()
                        ? Config.autoConfigure(context)
                        : Config.fromKubeconfig(
                                context, Files.readString(Path.of(kubeconfig)), kubeconfig);
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
