package io.sluice.render.helm;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.helm.HelmRelease;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a render is an install or an upgrade, and the revision it is rendered as, read where
 * apply-service decides them: Helm's storage Secrets ({@code sh.helm.release.v1.<release>.v<N>},
 * labels {@code owner=helm}, {@code name}, {@code version}, {@code status}) in the release's
 * storage namespace, not {@code status.history}, which apply-service writes after the fact.
 */
final class HelmStorage {
    /**
     * Latest statuses after which the next action is an install: none stored, uninstalled, or an
     * install still underway (a render meanwhile must render what that install applies).
     */
    private static final Set<String> NOT_INSTALLED = Set.of("uninstalled", "pending-install");

    /** The latest stored revision: its number and status. */
    record Latest(int version, String status) {}

    private HelmStorage() {}

    static Optional<Latest> latest(
            KubernetesClient client, HelmRelease release, String releaseName) {
        String storage = release.getSpec().storageNamespace;
        String namespace =
                storage == null || storage.isEmpty()
                        ? release.getMetadata().getNamespace()
                        : storage;
        return client
                .secrets()
                .inNamespace(namespace)
                .withLabels(Map.of("owner", "helm", "name", releaseName))
                .list()
                .getItems()
                .stream()
                .max(Comparator.comparingInt(HelmStorage::version))
                .map(s -> new Latest(version(s), s.getMetadata().getLabels().get("status")));
    }

    static boolean installed(Optional<Latest> latest) {
        return latest.map(l -> !NOT_INSTALLED.contains(l.status())).orElse(false);
    }

    /**
     * {@code .Release.Revision} as Helm's actions set it: 1 for an install (Helm's install action
     * renders 1 even when it replaces an uninstalled release kept in history), the latest stored
     * revision plus one for an upgrade (Helm's upgrade action).
     */
    static int templateRevision(Optional<Latest> latest) {
        return installed(latest) ? latest.get().version() + 1 : 1;
    }

    private static int version(Secret secret) {
        try {
            return Integer.parseInt(secret.getMetadata().getLabels().get("version"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
