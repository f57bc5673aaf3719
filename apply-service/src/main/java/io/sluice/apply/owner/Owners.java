package io.sluice.apply.owner;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.apply.helm.ReleasePolicy;
import io.sluice.apply.ignore.IgnoreRules;
import io.sluice.apply.inventory.ObjectId;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.kustomize.Inventory;
import io.sluice.contracts.kustomize.InventoryEntry;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.meta.Annotations;
import io.sluice.contracts.meta.GoDuration;
import io.sluice.contracts.meta.StatusPatches;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Looks up the owner an attempt is for: a Kustomization (prune as its spec says) or a HelmRelease
 * (always pruned, as Helm does).
 */
public final class Owners {
    private Owners() {}

    public static Optional<Owner> load(KubernetesClient client, ObjectRef ref) {
        if (HelmRelease.KIND.equals(ref.kind())) {
            HelmRelease release =
                    client.resources(HelmRelease.class)
                            .inNamespace(ref.namespace())
                            .withName(ref.name())
                            .get();
            return Optional.ofNullable(release)
                    .map(
                            r ->
                                    new Status<>(
                                            client,
                                            HelmRelease.class,
                                            ref,
                                            Boolean.TRUE.equals(r.getSpec().suspend),
                                            r.getSpec().upgrade != null
                                                    && r.getSpec()
                                                            .upgrade
                                                            .path("force")
                                                            .asBoolean(false),
                                            r.getSpec().serviceAccountName,
                                            r.getSpec().kubeConfig,
                                            IgnoreRules.NONE,
                                            true,
                                            Map.of(
                                                    Annotations.HELM_OWNER_NAME_LABEL,
                                                    ref.name(),
                                                    Annotations.HELM_OWNER_NAMESPACE_LABEL,
                                                    ref.namespace()),
                                            r.getStatus() == null ? null : r.getStatus().inventory,
                                            interval(null, r.getSpec().interval),
                                            retryInterval(r)));
        }
        Kustomization ks =
                client.resources(Kustomization.class)
                        .inNamespace(ref.namespace())
                        .withName(ref.name())
                        .get();
        return Optional.ofNullable(ks)
                .map(
                        k ->
                                new Status<>(
                                        client,
                                        Kustomization.class,
                                        ref,
                                        Boolean.TRUE.equals(k.getSpec().suspend),
                                        Boolean.TRUE.equals(k.getSpec().force),
                                        k.getSpec().serviceAccountName,
                                        k.getSpec().kubeConfig,
                                        IgnoreRules.of(k.getSpec().ignore),
                                        Boolean.TRUE.equals(k.getSpec().prune),
                                        Map.of(
                                                Annotations.OWNER_NAME_LABEL,
                                                ref.name(),
                                                Annotations.OWNER_NAMESPACE_LABEL,
                                                ref.namespace()),
                                        k.getStatus() == null ? null : k.getStatus().inventory,
                                        interval(null, k.getSpec().interval),
                                        interval(k.getSpec().retryInterval, k.getSpec().interval)));
    }

    /**
     * A HelmRelease is tried again at its interval, or, under RetryOnFailure for the action it last
     * attempted, after the strategy's retry interval, as helm-controller requeues it.
     */
    private static Duration retryInterval(HelmRelease release) {
        String action =
                release.getStatus() == null ? null : release.getStatus().lastAttemptedReleaseAction;
        Duration retry = action == null ? null : ReleasePolicy.of(release).retryInterval(action);
        return retry != null ? retry : interval(null, release.getSpec().interval);
    }

    private static Duration interval(String retryInterval, String interval) {
        String text = retryInterval != null && !retryInterval.isEmpty() ? retryInterval : interval;
        try {
            return GoDuration.parse(text, Duration.ofMinutes(10));
        } catch (IllegalArgumentException e) {
            return Duration.ofMinutes(10);
        }
    }

    private record Status<T extends io.fabric8.kubernetes.api.model.HasMetadata>(
            KubernetesClient client,
            Class<T> type,
            ObjectRef ref,
            boolean suspended,
            boolean force,
            String serviceAccountName,
            com.fasterxml.jackson.databind.JsonNode kubeConfig,
            IgnoreRules ignoreRules,
            boolean prune,
            Map<String, String> ownershipLabels,
            Inventory inventory,
            Duration interval,
            Duration retryInterval)
            implements Owner {

        @Override
        public List<ObjectId> previousInventory() {
            return inventory == null || inventory.entries == null
                    ? List.of()
                    : inventory.entries.stream().map(ObjectId::of).toList();
        }

        @Override
        public void recordApplied(List<InventoryEntry> entries, String revision) {
            Map<String, Object> status = new HashMap<>();
            status.put("inventory", new Inventory(entries));
            status.put("lastAttemptedRevision", revision);
            StatusPatches.merge(client, type, ref.namespace(), ref.name(), status);
        }

        @Override
        public void recordAttempt(String revision) {
            StatusPatches.merge(
                    client,
                    type,
                    ref.namespace(),
                    ref.name(),
                    Map.of("lastAttemptedRevision", revision));
        }
    }
}
