package io.sluice.local;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** A release's revisions as Helm stores them: Secrets labelled {@code owner=helm}, {@code name}. */
public final class HelmStorage {
    private HelmStorage() {}

    public static List<Secret> revisions(KubernetesClient client, String ns, String release) {
        return client.secrets()
                .inNamespace(ns)
                .withLabel("owner", "helm")
                .withLabel("name", release)
                .list()
                .getItems();
    }

    /** Each revision as {@code "<version> <status>"}: "1 failed", "2 deployed". */
    public static List<String> history(KubernetesClient client, String ns, String release) {
        return revisions(client, ns, release).stream()
                .map(s -> label(s, "version") + " " + label(s, "status"))
                .toList();
    }

    /** The revision of the highest version, if any. */
    public static Optional<Secret> latest(KubernetesClient client, String ns, String release) {
        return revisions(client, ns, release).stream()
                .max(Comparator.comparingInt(s -> Integer.parseInt(label(s, "version"))));
    }

    /** The status of the latest revision; empty when there is none. */
    public static String latestStatus(KubernetesClient client, String ns, String release) {
        return latest(client, ns, release).map(s -> label(s, "status")).orElse("");
    }

    private static String label(Secret revision, String name) {
        return revision.getMetadata().getLabels().get(name);
    }
}
