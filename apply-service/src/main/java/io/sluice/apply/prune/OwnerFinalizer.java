package io.sluice.apply.prune;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.runtime.StartupEvent;
import io.sluice.apply.drift.DesiredState;
import io.sluice.apply.helm.HelmReleaseReconciler;
import io.sluice.apply.owner.Impersonation;
import io.sluice.apply.owner.Owner;
import io.sluice.apply.owner.OwnerCache;
import io.sluice.apply.owner.OwnerView;
import io.sluice.apply.owner.Owners;
import io.sluice.apply.pipeline.OwnerLanes;
import io.sluice.contracts.cluster.TargetClusters;
import io.sluice.contracts.events.AppliedObject;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.meta.GoDuration;
import io.sluice.contracts.meta.Stubs;
import io.sluice.contracts.ownership.Ownership;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Deletion of a Kustomization or HelmRelease, as Flux does it: Flux's finalizer is put on each one;
 * when one is deleted, a Kustomization's inventory is deleted or left as its {@link DeletionPolicy}
 * says, a HelmRelease is uninstalled as Helm does it (its delete hooks run; a suspended one is left
 * in place), drift correction forgets it, and the finalizer is taken off (after a failed uninstall
 * it stays, and the uninstall is tried again).
 */
@ApplicationScoped
public class OwnerFinalizer {
    private static final Duration RETRY = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(OwnerFinalizer.class);
    private final KubernetesClient client;
    private final OwnerCache owners;
    private final DesiredState desired;
    private final Impersonation impersonation;
    private final HelmReleaseReconciler helmReleases;
    private final OwnerLanes lanes;
    private final Ownership ownership;
    private final ScheduledExecutorService retries =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "finalizer-retry");
                        t.setDaemon(true);
                        return t;
                    });

    public OwnerFinalizer(
            KubernetesClient client,
            OwnerCache owners,
            DesiredState desired,
            Impersonation impersonation,
            HelmReleaseReconciler helmReleases,
            OwnerLanes lanes,
            Ownership ownership) {
        this.client = client;
        this.ownership = ownership;
        this.lanes = lanes;
        this.helmReleases = helmReleases;
        this.owners = owners;
        this.desired = desired;
        this.impersonation = impersonation;
    }

    void start(@Observes StartupEvent event) {
        owners.onChange(this::look);
    }

    /**
     * Puts the finalizer on an owner without it, or finalizes a deleted one; only on the replica
     * that owns it (the one that gets its partition looks at it again then).
     */
    public void look(OwnerView view) {
        if (!ownership.owns(view.ref())) {
            return;
        }
        // in the owner's lane: never beside its own apply or remediation
        if (view.deleting() && view.finalized()) {
            lanes.submit(view.ref(), () -> finalize(view));
        } else if (!view.deleting() && !view.finalized()) {
            lanes.submit(view.ref(), () -> setFinalizer(view, true));
        }
    }

    private void finalize(OwnerView view) {
        if (!ownership.owns(view.ref())) {
            return; // a retry on a replica that no longer owns it: the owner finalizes it
        }
        desired.forget(view.ref());
        Owner owner = Owners.load(client, view.ref()).orElse(null);
        Optional<String> missing =
                owner == null
                        ? Optional.empty()
                        : impersonation.missingAccount(
                                view.ref().namespace(), owner.serviceAccountName());
        if (missing.isPresent()
                && (owner.kubeConfig() == null || !HelmRelease.KIND.equals(view.ref().kind()))) {
            // as helm-controller and kustomize-controller: the account is gone (its namespace is
            // being deleted), so nothing can be done as it; the finalizer goes, objects stay
            LOG.warnf(
                    "%s deleted: nothing uninstalled or pruned, its service account %s is not found",
                    view.ref(), missing.get());
        } else if (owner != null && HelmRelease.KIND.equals(view.ref().kind())) {
            if (!helmReleases.uninstall(view.ref())) {
                retries.schedule(
                        () -> lanes.submit(view.ref(), () -> finalize(view)),
                        RETRY.toSeconds(),
                        TimeUnit.SECONDS);
                return; // the finalizer stays until the uninstall succeeds
            }
        } else if (owner != null) {
            Kustomization ks =
                    client.resources(Kustomization.class)
                            .inNamespace(view.ref().namespace())
                            .withName(view.ref().name())
                            .get();
            if (ks != null && DeletionPolicy.deletesObjects(ks)) {
                KubernetesClient as;
                try {
                    as =
                            impersonation.clientFor(
                                    view.ref().namespace(),
                                    owner.serviceAccountName(),
                                    owner.kubeConfig());
                } catch (TargetClusters.InvalidKubeConfig e) {
                    // as kustomize-controller: the finalizer stays until the cluster can be reached
                    retryFinalize(view, e.getMessage());
                    return;
                }
                List<AppliedObject> deleted;
                try {
                    deleted =
                            new InventoryPruner(as)
                                    .prune(
                                            owner.ownershipLabels(),
                                            new ArrayList<>(owner.previousInventory()),
                                            Set.of());
                } catch (KubernetesClientException e) {
                    retryFinalize(view, e.getMessage()); // a refused read or delete
                    return;
                }
                LOG.infof(
                        "%s deleted: its %d objects deleted (deletionPolicy %s)",
                        view.ref(), deleted.size(), DeletionPolicy.of(ks));
                if (DeletionPolicy.of(ks) == DeletionPolicy.WAIT_FOR_TERMINATION) {
                    awaitTermination(
                            as,
                            view,
                            deleted,
                            GoDuration.parse(
                                    ks.getSpec().timeout,
                                    GoDuration.parse(
                                            ks.getSpec().interval, Duration.ofMinutes(5))));
                }
            } else {
                LOG.infof(
                        "%s deleted: its objects are left in place (prune off, suspended, or deletionPolicy Orphan)",
                        view.ref());
            }
        }
        setFinalizer(view, false);
    }

    private void retryFinalize(OwnerView view, String why) {
        LOG.warnf("%s: objects not deleted, tried again shortly: %s", view.ref(), why);
        retries.schedule(
                () -> lanes.submit(view.ref(), () -> finalize(view)),
                RETRY.toSeconds(),
                TimeUnit.SECONDS);
    }

    /**
     * As kustomize-controller: waits (at most the Kustomization's timeout) until the deleted
     * objects are gone; then goes on.
     */
    private static void awaitTermination(
            KubernetesClient client,
            OwnerView view,
            List<AppliedObject> deleted,
            Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        for (AppliedObject object : deleted) {
            var resource = client.genericKubernetesResources(object.apiVersion(), object.kind());
            var one =
                    object.namespace() == null || object.namespace().isEmpty()
                            ? resource.withName(object.name())
                            : resource.inNamespace(object.namespace()).withName(object.name());
            long left = Duration.between(Instant.now(), deadline).toMillis();
            try {
                if (left <= 0
                        || one.waitUntilCondition(o -> o == null, left, TimeUnit.MILLISECONDS)
                                != null) {
                    throw new KubernetesClientException("still there");
                }
            } catch (KubernetesClientException e) {
                LOG.errorf(
                        "%s: failed to wait for resources termination (%s not gone within %s)",
                        view.ref(), object.display(), timeout);
                return;
            }
        }
    }

    /**
     * Adds or removes Sluice's finalizer with one merge patch of the whole list, made from the
     * object as the informer last saw it and on condition that it is still that version; read again
     * and tried once more if it changed since.
     */
    private void setFinalizer(OwnerView view, boolean present) {
        try {
            if (!patchFinalizers(view, view.object().get(), present)) {
                HasMetadata live = resource(view).get();
                if (live != null
                        && !patchFinalizers(
                                view,
                                client.getKubernetesSerialization().convertValue(live, Map.class),
                                present)) {
                    LOG.warnf("%s: finalizers not updated: the object keeps changing", view.ref());
                }
            }
        } catch (KubernetesClientException e) {
            LOG.warnf("%s: could not update finalizers: %s", view.ref(), e.getMessage());
        }
    }

    /** False when {@code object} is no longer the current version (a conflict). */
    private boolean patchFinalizers(OwnerView view, Map<?, ?> object, boolean present) {
        Map<?, ?> metadata = object.get("metadata") instanceof Map<?, ?> m ? m : Map.of();
        List<Object> finalizers =
                new ArrayList<>(metadata.get("finalizers") instanceof List<?> l ? l : List.of());
        finalizers.remove(OwnerCache.FINALIZER);
        if (present) {
            finalizers.add(OwnerCache.FINALIZER);
        }
        Map<String, Object> patch =
                Map.of(
                        "metadata",
                        Map.of(
                                "resourceVersion",
                                String.valueOf(metadata.get("resourceVersion")),
                                "finalizers",
                                finalizers));
        try {
            client.resource(Stubs.named(type(view), view.ref().namespace(), view.ref().name()))
                    .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return false;
            }
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                return true; // gone: nothing to hold
            }
            throw e;
        }
    }

    private Resource<? extends HasMetadata> resource(OwnerView view) {
        return client.resources(type(view))
                .inNamespace(view.ref().namespace())
                .withName(view.ref().name());
    }

    private static Class<? extends HasMetadata> type(OwnerView view) {
        return HelmRelease.KIND.equals(view.ref().kind()) ? HelmRelease.class : Kustomization.class;
    }
}
