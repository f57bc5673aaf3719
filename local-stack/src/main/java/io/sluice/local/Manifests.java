package io.sluice.local;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Applies YAML as {@code kubectl apply --server-side} would, and writes the Flux objects the
 * stack's users write.
 */
public final class Manifests {
    private Manifests() {}

    /**
     * {@code flux reconcile}'s request: annotates the object {@code
     * reconcile.fluxcd.io/requestedAt} with a new token (a merge patch: no conflict with a
     * controller writing it meanwhile), which it returns.
     */
    public static <T extends HasMetadata> String requestReconcile(
            KubernetesClient client, Class<T> type, String namespace, String name) {
        String token = java.time.Instant.now().toString();
        client.resources(type)
                .inNamespace(namespace)
                .withName(name)
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"annotations\":{\"reconcile.fluxcd.io/requestedAt\":\""
                                + token
                                + "\"}}}");
        return token;
    }

    public static void apply(KubernetesClient client, String yaml) {
        client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
                .items()
                .forEach(
                        o ->
                                client.resource(o)
                                        .fieldManager("sluice-local")
                                        .forceConflicts()
                                        .serverSideApply());
    }

    public static String gitRepository(String namespace, String name, String url, String interval) {
        return """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  interval: %s
                  url: %s
                  ref:
                    branch: main
                """
                .formatted(name, namespace, interval, url);
    }

    public static String kustomization(String namespace, String name, String source, String path) {
        return """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  interval: 10m
                  timeout: 1m
                  path: %s
                  prune: true
                  wait: true
                  sourceRef:
                    kind: GitRepository
                    name: %s
                """
                .formatted(name, namespace, path, source);
    }

    /**
     * As {@link #kustomization}, its objects put in its own namespace ({@code targetNamespace}).
     */
    public static String kustomizationInto(
            String namespace, String name, String source, String path) {
        return kustomization(namespace, name, source, path)
                .replace("  prune: true", "  prune: true\n  targetNamespace: " + namespace);
    }

    /** Creates a Secret of {@code stringData}, as {@code kubectl create secret generic} does. */
    public static void createSecret(
            KubernetesClient client,
            String namespace,
            String name,
            Map<String, String> stringData) {
        client.secrets()
                .inNamespace(namespace)
                .resource(
                        new SecretBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .withNamespace(namespace)
                                .endMetadata()
                                .withStringData(stringData)
                                .build())
                .create();
    }

    public static String namespace(String name) {
        return "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + name + "\n";
    }
}
