package io.sluice.apply.helm;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.sluice.apply.ssa.ApplyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs the hooks of one event as Helm does: one at a time in Helm's order; each deleted first when
 * its policy is {@code before-hook-creation} (the default), created (an object of the same name
 * that is no hook is never replaced: the event fails naming it), and for a Job or Pod waited for
 * until it completes (at most the release's timeout); a failed hook stops the event (deleted if its
 * policy is {@code hook-failed}); once all have succeeded, those with {@code hook-succeeded} are
 * deleted, last first. A CRD hook is never deleted.
 */
final class HookRunner {
    private static final Logger LOG = Logger.getLogger(HookRunner.class);

    private final String fieldManager;

    HookRunner(String fieldManager) {
        this.fieldManager = fieldManager;
    }

    /** Hears when each hook starts and ends, as Helm records a hook's {@code last_run}. */
    interface Progress {
        Progress NONE =
                new Progress() {
                    @Override
                    public void started(Hook hook) {}

                    @Override
                    public void finished(Hook hook, boolean succeeded) {}
                };

        void started(Hook hook);

        void finished(Hook hook, boolean succeeded);
    }

    void run(KubernetesClient client, List<Hook> hooks, String event, Duration timeout)
            throws ApplyException {
        run(client, hooks, event, timeout, Progress.NONE);
    }

    void run(
            KubernetesClient client,
            List<Hook> hooks,
            String event,
            Duration timeout,
            Progress progress)
            throws ApplyException {
        List<Hook> ordered = Hook.forEvent(hooks, event);
        List<Hook> succeeded = new ArrayList<>();
        for (Hook hook : ordered) {
            boolean created = false;
            try {
                GenericKubernetesResource live = client.resource(hook.object()).get();
                if (live != null && !Hook.isHook(live)) {
                    // a hook never replaces an object that is not a hook: Sluice deletes nothing it
                    // did not create
                    throw new ApplyException(
                            hook.display()
                                    + " exists and is not a chart hook; it is left untouched",
                            null);
                }
                if (live != null && hook.policies().contains(Hook.BEFORE_HOOK_CREATION)) {
                    delete(client, hook, timeout);
                }
                progress.started(hook);
                client.resource(hook.object())
                        .fieldManager(fieldManager)
                        .forceConflicts()
                        .serverSideApply();
                created = true;
                LOG.infof("%s hook %s created", event, hook.display());
                awaitCompletion(client, hook, timeout);
            } catch (ApplyException | KubernetesClientException e) {
                progress.finished(hook, false);
                if (created && hook.policies().contains(Hook.HOOK_FAILED)) {
                    deleteQuietly(client, hook, timeout);
                }
                deleteSucceeded(client, succeeded, timeout);
                throw new ApplyException(
                        event + " hook " + hook.display() + " failed: " + e.getMessage(), e);
            }
            progress.finished(hook, true);
            succeeded.add(hook);
        }
        deleteSucceeded(client, succeeded, timeout);
    }

    private static void deleteSucceeded(
            KubernetesClient client, List<Hook> succeeded, Duration timeout) {
        for (int i = succeeded.size() - 1; i >= 0; i--) {
            if (succeeded.get(i).policies().contains(Hook.HOOK_SUCCEEDED)) {
                deleteQuietly(client, succeeded.get(i), timeout);
            }
        }
    }

    /** Waits for a Job to complete or a Pod to succeed; other kinds are done once created. */
    private static void awaitCompletion(KubernetesClient client, Hook hook, Duration timeout)
            throws ApplyException {
        String kind = hook.object().getKind();
        if (!"Job".equals(kind) && !"Pod".equals(kind)) {
            return;
        }
        GenericKubernetesResource done;
        try {
            done =
                    client.resource(hook.object())
                            .waitUntilCondition(
                                    o -> o == null || finished(o),
                                    timeout.toMillis(),
                                    TimeUnit.MILLISECONDS);
        } catch (KubernetesClientTimeoutException e) {
            throw new ApplyException(
                    kind.toLowerCase()
                            + " "
                            + hook.object().getMetadata().getName()
                            + " did not complete within "
                            + timeout,
                    e);
        }
        if (done != null && failed(done)) {
            throw new ApplyException(
                    kind.toLowerCase() + " " + hook.object().getMetadata().getName() + " failed",
                    null);
        }
    }

    private static boolean finished(GenericKubernetesResource object) {
        return "Job".equals(object.getKind())
                ? jobCondition(object, "Complete") || jobCondition(object, "Failed")
                : "Succeeded".equals(podPhase(object)) || "Failed".equals(podPhase(object));
    }

    private static boolean failed(GenericKubernetesResource object) {
        return "Job".equals(object.getKind())
                ? jobCondition(object, "Failed")
                : "Failed".equals(podPhase(object));
    }

    @SuppressWarnings("unchecked")
    private static boolean jobCondition(GenericKubernetesResource job, String type) {
        Object status = job.getAdditionalProperties().get("status");
        if (!(status instanceof Map<?, ?> map)
                || !(map.get("conditions") instanceof List<?> conditions)) {
            return false;
        }
        return conditions.stream()
                .map(c -> (Map<String, Object>) c)
                .anyMatch(c -> type.equals(c.get("type")) && "True".equals(c.get("status")));
    }

    private static String podPhase(GenericKubernetesResource pod) {
        Object status = pod.getAdditionalProperties().get("status");
        return status instanceof Map<?, ?> map && map.get("phase") instanceof String phase
                ? phase
                : "";
    }

    private static void delete(KubernetesClient client, Hook hook, Duration timeout) {
        if ("CustomResourceDefinition".equals(hook.object().getKind())) {
            return;
        }
        client.resource(hook.object())
                .withPropagationPolicy(
                        io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND)
                .delete();
        client.resource(hook.object())
                .waitUntilCondition(o -> o == null, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void deleteQuietly(KubernetesClient client, Hook hook, Duration timeout) {
        try {
            delete(client, hook, timeout);
        } catch (KubernetesClientException e) {
            LOG.warnf("could not delete hook %s: %s", hook.display(), e.getMessage());
        }
    }
}
