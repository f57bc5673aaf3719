package io.sluice.apply.pipeline;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.quarkus.runtime.ShutdownEvent;
import io.sluice.apply.ApplyConfig;
import io.sluice.apply.drift.DesiredState;
import io.sluice.apply.ignore.IgnoreRules;
import io.sluice.apply.inventory.ObjectId;
import io.sluice.apply.owner.Impersonation;
import io.sluice.apply.owner.Owner;
import io.sluice.apply.prune.InventoryPruner;
import io.sluice.apply.ssa.ApplyException;
import io.sluice.apply.ssa.MetadataCleanup;
import io.sluice.apply.ssa.ObjectApplier;
import io.sluice.apply.ssa.StagedApplier;
import io.sluice.contracts.cluster.TargetClusters;
import io.sluice.contracts.events.AppliedObject;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.kustomize.InventoryEntry;
import io.sluice.contracts.meta.ServedKinds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * Applies an owner's objects: labels them as its own, applies them in stages as its service account
 * (between the {@code before} and {@code after} steps: a chart's hooks), prunes what left its
 * inventory, records the new inventory, and hands exactly what was applied to drift correction
 * (nothing, after a failure: drift never puts back objects that were not applied, nor older ones).
 */
@ApplicationScoped
public class OwnerApply {
    /** A step run as the owner's identity around the apply. */
    public interface Step {
        void run(KubernetesClient as) throws ApplyException;

        Step NONE = as -> {};
    }

    private final StagedApplier stagedApplier;
    private final MetadataCleanup cleanup;

    /** Every applier's object requests: {@link StagedApplier#CONCURRENCY} for each owner lane. */
    private final ExecutorService objectRequests;

    /** Remote clusters' kinds are discovered on them: one applier per remote client. */
    private final Map<KubernetesClient, StagedApplier> remoteAppliers = new ConcurrentHashMap<>();

    /** Per client, the same client without retries (see {@link #withoutRetries}). */
    private final Map<KubernetesClient, KubernetesClient> noRetries = new ConcurrentHashMap<>();

    private final Impersonation impersonation;
    private final DesiredState desired;

    public OwnerApply(
            ApplyConfig config,
            Impersonation impersonation,
            DesiredState desired,
            ServedKinds kinds) {
        this.cleanup = MetadataCleanup.of(config);
        this.objectRequests =
                Executors.newFixedThreadPool(
                        OwnerLanes.lanes(config) * StagedApplier.CONCURRENCY,
                        r -> {
                            Thread t = new Thread(r, "apply-stage");
                            t.setDaemon(true);
                            return t;
                        });
        this.stagedApplier = new StagedApplier(cleanup, kinds, objectRequests);
        this.impersonation = impersonation;
        this.desired = desired;
    }

    void stop(@Observes ShutdownEvent event) {
        objectRequests.shutdownNow();
    }

    public List<AppliedObject> apply(
            ObjectRef ref,
            String revision,
            Owner owner,
            List<GenericKubernetesResource> objects,
            Step before,
            Step after)
            throws ApplyException {
        return apply(ref, revision, owner, objects, before, after, owner.ignoreRules());
    }

    /** As above, with {@code ignore} rules other than the owner's apply rules. */
    public List<AppliedObject> apply(
            ObjectRef ref,
            String revision,
            Owner owner,
            List<GenericKubernetesResource> objects,
            Step before,
            Step after,
            IgnoreRules ignore)
            throws ApplyException {
        objects.forEach(o -> labelAsOwned(o, owner.ownershipLabels()));
        KubernetesClient as = clientFor(ref, owner);
        boolean remote = TargetClusters.remote(owner.kubeConfig());
        StagedApplier applier =
                remote
                        ? remoteAppliers.computeIfAbsent(
                                as,
                                c -> new StagedApplier(cleanup, new ServedKinds(c), objectRequests))
                        : stagedApplier;
        desired.beginApply(ref);
        boolean applied = false;
        try {
            before.run(as);
            List<AppliedObject> changes =
                    new ArrayList<>(
                            applier.apply(withoutRetries(as), objects, owner.force(), ignore));
            after.run(as);
            Map<String, InventoryEntry> inventory = inventoryOf(objects);
            if (owner.prune()) {
                changes.addAll(
                        new InventoryPruner(as)
                                .prune(
                                        owner.ownershipLabels(),
                                        owner.previousInventory(),
                                        inventory.keySet()));
            }
            owner.recordApplied(List.copyOf(inventory.values()), revision);
            if (remote) {
                // as kustomize-controller: another cluster's objects are looked at again at the
                // interval, not watched
                desired.forget(ref);
            } else {
                desired.applied(ref, revision, objects, owner.serviceAccountName(), changes);
            }
            applied = true;
            return changes;
        } catch (KubernetesClientException | IllegalArgumentException e) {
            throw new ApplyException("apply failed: " + e.getMessage(), e);
        } finally {
            if (!applied) {
                owner.recordAttempt(revision);
                desired.forget(ref);
            }
            desired.endApply(ref);
        }
    }

    /**
     * A new revision whose render is exactly what the owner's last apply applied, while drift
     * correction keeps those objects as applied: the revision is recorded (status, the same
     * inventory) and nothing is written to the objects, so a commit that changes one Kustomization
     * of many is applied to that one only. Empty, and nothing recorded, when anything differs: the
     * objects, the inventory (something to prune), or the cluster (another cluster's objects are
     * not watched). Its caller decides which attempts may take this path.
     */
    public Optional<List<AppliedObject>> recordUnchanged(
            ObjectRef ref, String revision, Owner owner, List<GenericKubernetesResource> objects) {
        if (TargetClusters.remote(owner.kubeConfig())) {
            return Optional.empty();
        }
        objects.forEach(o -> labelAsOwned(o, owner.ownershipLabels()));
        Map<String, InventoryEntry> inventory = inventoryOf(objects);
        Set<String> previous =
                owner.previousInventory().stream().map(ObjectId::id).collect(Collectors.toSet());
        if (!previous.equals(inventory.keySet()) || !desired.holds(ref, objects)) {
            return Optional.empty();
        }
        // each at the latest version the last full apply or drift correction saw: health reads
        // it from its watch once that has seen as much
        List<AppliedObject> unchanged =
                objects.stream()
                        .map(
                                o ->
                                        ObjectApplier.applied(
                                                o,
                                                AppliedObject.Action.UNCHANGED,
                                                desired.appliedVersion(ref, o).orElse(null)))
                        .toList();
        owner.recordApplied(List.copyOf(inventory.values()), revision);
        desired.applied(ref, revision, objects, owner.serviceAccountName(), unchanged);
        return Optional.of(unchanged);
    }

    private static Map<String, InventoryEntry> inventoryOf(
            List<GenericKubernetesResource> objects) {
        Map<String, InventoryEntry> inventory = new LinkedHashMap<>();
        objects.stream()
                .map(ObjectId::of)
                .sorted(Comparator.comparing(ObjectId::id))
                .forEach(id -> inventory.put(id.id(), id.entry()));
        return inventory;
    }

    /**
     * The dry runs and applies of an owner's objects are not retried inside the attempt: a write
     * the API server fails (fabric8 retried a 5xx or 429 ten times with backoff, about 20 s,
     * holding the owner's lane) fails the attempt with the server's message, tried again at
     * retryInterval, as Flux's are. The rest of the client (reads, status writes, informers) keeps
     * its retries.
     */
    private KubernetesClient withoutRetries(KubernetesClient client) {
        return noRetries.computeIfAbsent(
                client,
                c ->
                        c.newClient(
                                        new RequestConfigBuilder(
                                                        c.getConfiguration().getRequestConfig())
                                                .withRequestRetryBackoffLimit(0)
                                                .build())
                                .adapt(KubernetesClient.class));
    }

    /**
     * Deletes the owner's objects among {@code candidates} (only those still labelled as its own),
     * as its service account, with the given propagation to the objects they own.
     */
    public List<AppliedObject> delete(
            ObjectRef ref, Owner owner, List<ObjectId> candidates, DeletionPropagation propagation)
            throws ApplyException {
        desired.forget(ref);
        return new InventoryPruner(clientFor(ref, owner), propagation)
                .prune(owner.ownershipLabels(), candidates, Set.of());
    }

    /** The owner's identity on this cluster (a HelmRelease's: it has no other yet). */
    public KubernetesClient localClientFor(ObjectRef ref, Owner owner) {
        return impersonation.clientFor(ref.namespace(), owner.serviceAccountName());
    }

    /**
     * The owner's identity on its target cluster; a kubeConfig that gives none fails with
     * kustomize-controller's words, before anything is applied.
     */
    public KubernetesClient clientFor(ObjectRef ref, Owner owner) throws ApplyException {
        try {
            return impersonation.clientFor(
                    ref.namespace(), owner.serviceAccountName(), owner.kubeConfig());
        } catch (TargetClusters.InvalidKubeConfig e) {
            throw new ApplyException(e.getMessage(), e);
        }
    }

    private static void labelAsOwned(
            GenericKubernetesResource object, Map<String, String> ownershipLabels) {
        Map<String, String> labels =
                object.getMetadata().getLabels() == null
                        ? new HashMap<>()
                        : new HashMap<>(object.getMetadata().getLabels());
        labels.putAll(ownershipLabels);
        object.getMetadata().setLabels(labels);
    }
}
