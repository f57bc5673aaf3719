package io.sluice.apply.ssa;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.sluice.apply.inventory.ObjectId;
import io.sluice.contracts.events.AppliedObject;
import io.sluice.contracts.events.AppliedObject.Action;
import io.sluice.contracts.meta.Annotations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Applies a set of objects in Flux's stages: cluster definitions (CRDs, Namespaces, ClusterRoles) first, waiting for
 * new CRDs to be established so that their custom resources can follow; then {@code *Class} kinds; then a chart's
 * pre-install/pre-upgrade hooks, everything else, its post-install/post-upgrade hooks; admission webhooks last, so
 * that a webhook never refuses the objects of its own release. Objects within a stage are applied a few at a time.
 * Hook Jobs are waited for (the release goes on only once they completed); hooks are left out of the change set:
 * they are one-shot, so not health-checked.
 */
public final class StagedApplier {
    private static final Set<String> DEFINITIONS = Set.of("CustomResourceDefinition", "Namespace", "ClusterRole", "ClusterRoleBinding");
    private static final Set<String> WEBHOOKS = Set.of("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration");
    private static final Duration CRD_ESTABLISH_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration HOOK_TIMEOUT = Duration.ofMinutes(5);
    private static final int CONCURRENCY = 4;
    private static final int PRE_HOOKS = 2;
    private static final int POST_HOOKS = 4;
    static final String FORCE_ANNOTATION = "kustomize.toolkit.fluxcd.io/force";

    private final String fieldManager;
    private final ExecutorService workers = Executors.newFixedThreadPool(CONCURRENCY, r -> {
        Thread t = new Thread(r, "apply-stage");
        t.setDaemon(true);
        return t;
    });

    public StagedApplier(String fieldManager) {
        this.fieldManager = fieldManager;
    }

    /** Applies as {@code client}'s identity (Sluice's own, or an impersonated service account). */
    public List<AppliedObject> apply(KubernetesClient client, List<GenericKubernetesResource> objects, boolean force) throws ApplyException {
        ObjectApplier applier = new ObjectApplier(client, fieldManager);
        Map<Integer, List<GenericKubernetesResource>> stages = new TreeMap<>();
        objects.forEach(o -> stages.computeIfAbsent(stage(o), s -> new ArrayList<>()).add(o));
        List<AppliedObject> changes = new ArrayList<>();
        for (var entry : stages.entrySet()) {
            List<GenericKubernetesResource> stage = entry.getValue();
            List<AppliedObject> applied = applyTogether(applier, stage, force);
            if (entry.getKey() == PRE_HOOKS || entry.getKey() == POST_HOOKS) {
                awaitHookJobs(client, stage); // as Helm does: the release goes on only once its hooks have run
            } else {
                changes.addAll(applied); // hooks are one-shot (their delete policies remove them): not health-checked
            }
            for (GenericKubernetesResource object : stage) {
                if ("CustomResourceDefinition".equals(object.getKind())) {
                    awaitEstablished(client, object.getMetadata().getName());
                }
            }
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
            return 5;
        }
        String hook = ObjectApplier.annotation(object, Annotations.HELM_HOOK);
        if (hook != null && hook.contains("pre-")) {
            return PRE_HOOKS;
        }
        if (hook != null && hook.contains("post-")) {
            return POST_HOOKS;
        }
        return 3;
    }

    private List<AppliedObject> applyTogether(ObjectApplier applier, List<GenericKubernetesResource> stage, boolean force)
            throws ApplyException {
        List<Future<AppliedObject>> pending = new ArrayList<>();
        for (GenericKubernetesResource object : stage) {
            // a hook is replaced, not updated, when it changes (Helm's before-hook-creation): a Job's template is immutable
            boolean forced = force || "enabled".equals(ObjectApplier.annotation(object, FORCE_ANNOTATION))
                    || ObjectApplier.annotation(object, Annotations.HELM_HOOK) != null;
            pending.add(workers.submit(() -> applied(object, applier.apply(object, forced))));
        }
        List<AppliedObject> changes = new ArrayList<>();
        ApplyException first = null;
        for (Future<AppliedObject> future : pending) {
            try {
                changes.add(future.get());
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof ApplyException a ? a : new ApplyException(e.getCause().getMessage(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApplyException("interrupted while applying", e);
            }
        }
        if (first != null) {
            throw first;
        }
        return changes;
    }

    /** Waits for each hook Job to complete (one already deleted by its TTL or delete policy has run); a failed one fails the apply. */
    private static void awaitHookJobs(KubernetesClient client, List<GenericKubernetesResource> hooks) throws ApplyException {
        for (GenericKubernetesResource hook : hooks) {
            if (!"Job".equals(hook.getKind())) {
                continue;
            }
            String display = ObjectId.of(hook).display();
            try {
                Job job = client.batch().v1().jobs().inNamespace(hook.getMetadata().getNamespace()).withName(hook.getMetadata().getName())
                        .waitUntilCondition(j -> j == null || jobCondition(j, "Complete") || jobCondition(j, "Failed"),
                                HOOK_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                if (job != null && jobCondition(job, "Failed")) {
                    throw new ApplyException("hook " + display + " failed", null);
                }
            } catch (KubernetesClientException e) {
                throw new ApplyException("hook " + display + " did not complete within " + HOOK_TIMEOUT.toMinutes() + "m", e);
            }
        }
    }

    private static boolean jobCondition(Job job, String type) {
        return job.getStatus() != null && job.getStatus().getConditions() != null && job.getStatus().getConditions().stream()
                .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static void awaitEstablished(KubernetesClient client, String name) throws ApplyException {
        try {
            client.apiextensions().v1().customResourceDefinitions().withName(name).waitUntilCondition(crd -> crd != null
                    && crd.getStatus() != null && crd.getStatus().getConditions().stream()
                    .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())),
                    CRD_ESTABLISH_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (KubernetesClientException e) {
            throw new ApplyException("CustomResourceDefinition/" + name + " was not established within "
                    + CRD_ESTABLISH_TIMEOUT.toSeconds() + "s", e);
        }
    }

    private static AppliedObject applied(GenericKubernetesResource object, Action action) {
        ObjectId id = ObjectId.of(object);
        return new AppliedObject(id.apiVersion(), id.kind(), id.namespace(), id.name(), action);
    }

    /** The objects of a rendered bundle as the client's generic resources. */
    public static List<GenericKubernetesResource> resources(List<Map<String, Object>> objects) {
        return objects.stream()
                .map(o -> Serialization.jsonMapper().convertValue(o, GenericKubernetesResource.class))
                .toList();
    }
}
