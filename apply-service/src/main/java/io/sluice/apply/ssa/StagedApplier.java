package io.sluice.apply.ssa;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.sluice.apply.ignore.IgnoreRules;
import io.sluice.contracts.events.AppliedObject;
import io.sluice.contracts.meta.ServedKinds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Applies a set of objects in Flux's stages: cluster definitions (CRDs, Namespaces, ClusterRoles)
 * first, waiting for new CRDs to be established so that their custom resources can follow; then
 * {@code *Class} kinds; then everything else; admission webhooks last, so that a webhook never
 * refuses the objects of its own release. Objects within a stage are applied a few at a time. (A
 * chart's hooks are not objects of the release: see the helm package.)
 */
public final class StagedApplier {
    private static final Set<String> DEFINITIONS =
            Set.of("CustomResourceDefinition", "Namespace", "ClusterRole", "ClusterRoleBinding");
    private static final Set<String> WEBHOOKS =
            Set.of("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration");
    private static final Duration CRD_ESTABLISH_TIMEOUT = Duration.ofSeconds(30);

    /** Object requests in flight per apply. */
    public static final int CONCURRENCY = 4;

    static final String FORCE_ANNOTATION = "kustomize.toolkit.fluxcd.io/force";

    private final MetadataCleanup cleanup;
    private final ServedKinds kinds;
    private final ExecutorService workers;

    /**
     * {@code workers} run the object requests; shared by every apply in flight, so they are {@link
     * #CONCURRENCY} per owner applied at once (a pool per applier held every owner to four requests
     * between them).
     */
    public StagedApplier(MetadataCleanup cleanup, ServedKinds kinds, ExecutorService workers) {
        this.cleanup = cleanup;
        this.kinds = kinds;
        this.workers = workers;
    }

    /** Applies as {@code client}'s identity (Sluice's own, or an impersonated service account). */
    public List<AppliedObject> apply(
            KubernetesClient client,
            List<GenericKubernetesResource> objects,
            boolean force,
            IgnoreRules ignore)
            throws ApplyException {
        ObjectApplier applier = new ObjectApplier(client, cleanup, kinds);
        Map<Integer, List<GenericKubernetesResource>> stages = new TreeMap<>();
        objects.forEach(o -> stages.computeIfAbsent(stage(o), s -> new ArrayList<>()).add(o));
        List<AppliedObject> changes = new ArrayList<>();
        try {
            for (var entry : stages.entrySet()) {
                List<GenericKubernetesResource> stage = entry.getValue();
                applyTogether(applier, stage, force, ignore, changes);
                for (GenericKubernetesResource object : stage) {
                    if ("CustomResourceDefinition".equals(object.getKind())) {
                        awaitEstablished(client, object.getMetadata().getName());
                    }
                }
            }
        } catch (ApplyException e) {
            throw e.after(changes);
        }
        return changes;
    }

    /** The stage an object belongs to; lower stages are applied first. */
    static int stage(GenericKubernetesResource object) {
        String kind = object.getKind();
        if (DEFINITIONS.contains(kind)) {
            return 0;
        }
        if (kind.endsWith("Class")) {
            return 1;
        }
        if (WEBHOOKS.contains(kind)) {
            return 3;
        }
        return 2;
    }

    /**
     * As Flux applies a stage: every object's dry run first, a few at a time, and nothing of the
     * stage written unless all passed; then the writes.
     */
    private void applyTogether(
            ObjectApplier applier,
            List<GenericKubernetesResource> stage,
            boolean force,
            IgnoreRules ignore,
            List<AppliedObject> changes)
            throws ApplyException {
        List<ObjectApplier.Plan> plans = new ArrayList<>();
        together(
                stage,
                object ->
                        applier.plan(
                                object,
                                force
                                        || "enabled"
                                                .equals(
                                                        ObjectApplier.annotation(
                                                                object, FORCE_ANNOTATION)),
                                ignore),
                plans);
        together(plans, applier::execute, changes);
    }

    private interface Step<T, R> {
        R run(T input) throws ApplyException;
    }

    /**
     * Runs {@code step} for each input on the workers, adding the results to {@code results} in
     * order; the first failure once all are done (the others' results added).
     */
    private <T, R> void together(List<T> inputs, Step<T, R> step, List<R> results)
            throws ApplyException {
        List<Future<R>> pending = new ArrayList<>();
        // at most CONCURRENCY of this apply's requests at once: an owner of many objects takes
        // no more of the shared workers than any other
        Semaphore inFlight = new Semaphore(CONCURRENCY);
        for (T input : inputs) {
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pending.forEach(f -> f.cancel(true));
                throw new ApplyException("interrupted while applying", e);
            }
            pending.add(
                    workers.submit(
                            () -> {
                                try {
                                    return step.run(input);
                                } finally {
                                    inFlight.release();
                                }
                            }));
        }
        ApplyException first = null;
        for (Future<R> future : pending) {
            try {
                results.add(future.get());
            } catch (ExecutionException e) {
                if (first == null) {
                    first =
                            e.getCause() instanceof ApplyException a
                                    ? a
                                    : new ApplyException(e.getCause().getMessage(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApplyException("interrupted while applying", e);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static void awaitEstablished(KubernetesClient client, String name)
            throws ApplyException {
        try {
            client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .withName(name)
                    .waitUntilCondition(
                            crd ->
                                    crd != null
                                            && crd.getStatus() != null
                                            && crd.getStatus().getConditions() != null
                                            && crd.getStatus().getConditions().stream()
                                                    .anyMatch(
                                                            c ->
                                                                    "Established"
                                                                                    .equals(
                                                                                            c
                                                                                                    .getType())
                                                                            && "True"
                                                                                    .equals(
                                                                                            c
                                                                                                    .getStatus())),
                            CRD_ESTABLISH_TIMEOUT.toSeconds(),
                            TimeUnit.SECONDS);
        } catch (KubernetesClientException e) {
            throw new ApplyException(
                    "CustomResourceDefinition/"
                            + name
                            + " was not established within "
                            + CRD_ESTABLISH_TIMEOUT.toSeconds()
                            + "s",
                    e);
        }
    }

    /** The objects of a rendered bundle as the client's generic resources. */
    public static List<GenericKubernetesResource> resources(List<Map<String, Object>> objects) {
        return objects.stream()
                .map(
                        o ->
                                Serialization.jsonMapper()
                                        .convertValue(o, GenericKubernetesResource.class))
                .toList();
    }
}
