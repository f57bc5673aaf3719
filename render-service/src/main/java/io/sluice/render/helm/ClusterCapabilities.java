package io.sluice.render.helm;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The target cluster's capabilities, read from discovery as helm-controller's Helm reads them (so a
 * chart that asks {@code .Capabilities.APIVersions.Has "policy/v1/PodDisruptionBudget"} gets the
 * answer the cluster gives). Kept until a CustomResourceDefinition changes: a CRD that appears (or
 * becomes established) is seen by the next render.
 */
@ApplicationScoped
public class ClusterCapabilities {
    private final KubernetesClient client;
    private final AtomicLong crdChanges = new AtomicLong();
    private volatile Discovered cached;
    private volatile SharedIndexInformer<CustomResourceDefinition> crds;

    public ClusterCapabilities(KubernetesClient client) {
        this.client = client;
    }

    private record Discovered(long crdChanges, HelmCapabilities capabilities) {}

    public HelmCapabilities current() {
        watchCrds();
        long changes = crdChanges.get();
        Discovered discovered = cached;
        if (discovered == null || discovered.crdChanges() != changes) {
            // a CRD changing while this runs moves the count again, so the next render discovers
            // afresh
            discovered =
                    new Discovered(
                            changes,
                            new HelmCapabilities(
                                    client.getKubernetesVersion().getGitVersion(),
                                    discover(client)));
            cached = discovered;
        }
        return discovered.capabilities();
    }

    /**
     * Helm's GetVersionSet: every served group/version, and every group/version/Kind of its
     * resources.
     */
    static List<String> discover(KubernetesClient client) {
        Set<String> versions = new LinkedHashSet<>();
        List<String> groupVersions = new ArrayList<>(List.of("v1"));
        for (APIGroup group : client.getApiGroups().getGroups()) {
            group.getVersions().stream()
                    .map(GroupVersionForDiscovery::getGroupVersion)
                    .forEach(groupVersions::add);
        }
        versions.addAll(groupVersions);
        for (String groupVersion : groupVersions) {
            APIResourceList resources;
            try {
                resources = client.getApiResources(groupVersion);
            } catch (KubernetesClientException e) {
                continue; // as Helm: a group version that fails discovery (a CRD not yet served) is
                // left out, not fatal
            }
            if (resources != null) {
                for (APIResource resource : resources.getResources()) {
                    versions.add(groupVersion + "/" + resource.getKind());
                }
            }
        }
        return List.copyOf(versions);
    }

    private void watchCrds() {
        if (crds != null) {
            return;
        }
        synchronized (this) {
            if (crds == null) {
                crds =
                        client.apiextensions()
                                .v1()
                                .customResourceDefinitions()
                                .inform(
                                        new ResourceEventHandler<>() {
                                            @Override
                                            public void onAdd(CustomResourceDefinition crd) {
                                                crdChanges.incrementAndGet();
                                            }

                                            @Override
                                            public void onUpdate(
                                                    CustomResourceDefinition before,
                                                    CustomResourceDefinition after) {
                                                crdChanges.incrementAndGet();
                                            }

                                            @Override
                                            public void onDelete(
                                                    CustomResourceDefinition crd,
                                                    boolean unknownFinalState) {
                                                crdChanges.incrementAndGet();
                                            }
                                        });
            }
        }
    }

    @PreDestroy
    void stop() {
        if (crds != null) {
            crds.stop();
        }
    }
}
