package io.sluice.apply.ssa;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.sluice.apply.ignore.IgnoreRules;
import io.sluice.apply.ignore.IgnoredFields;
import io.sluice.apply.inventory.ObjectId;
import io.sluice.contracts.events.AppliedObject;
import io.sluice.contracts.events.AppliedObject.Action;
import io.sluice.contracts.meta.Annotations;
import io.sluice.contracts.meta.ServedKinds;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Applies one object with server-side apply under Sluice's field manager, conflicts forced, in two
 * steps as Flux does: {@link #plan} applies it as a dry run (so a stage's objects are all validated
 * before any is written) and decides what to do; {@link #execute} does it. An existing object whose
 * dry run equals the live one is unchanged and not sent. Flux's per-object annotations are
 * honoured: {@code reconcile: disabled} (in Git or in the cluster) and {@code ssa: Ignore} leave
 * the object alone, {@code ssa: IfNotPresent} only creates it. With {@code force}, an object whose
 * change the API server refuses as immutable is deleted and created again. An object of a
 * namespaced kind that names no namespace is refused, as in Flux, rather than written to the
 * client's default namespace. Before an existing object is applied, its metadata is cleaned as
 * kustomize-controller cleans it ({@link MetadataCleanup}): the fields of kubectl and of Flux's own
 * controllers become Sluice's, so removing them from Git removes them from the cluster. The owner's
 * ignore rules (a Kustomization's {@code spec.ignore}) keep the fields they select out of both the
 * comparison and the write.
 */
public final class ObjectApplier {
    private final KubernetesClient client;
    private final String fieldManager;
    private final ServedKinds kinds;
    private final MetadataCleanup cleanup;

    public ObjectApplier(KubernetesClient client, MetadataCleanup cleanup, ServedKinds kinds) {
        this.client = client;
        this.fieldManager = cleanup.fieldManager();
        this.kinds = kinds;
        this.cleanup = cleanup;
    }

    /**
     * What {@link #execute} will do with an object that passed its dry run: first the JSON patch
     * {@code cleanup} of its metadata, if any. {@code liveVersion}: the version read of an object
     * left unchanged (null when it was not read).
     */
    public record Plan(
            GenericKubernetesResource object,
            Action action,
            boolean recreate,
            List<Map<String, Object>> cleanup,
            String liveVersion) {
        Plan(GenericKubernetesResource object, Action action, boolean recreate) {
            this(object, action, recreate, List.of(), null);
        }

        static Plan unchanged(GenericKubernetesResource object, GenericKubernetesResource live) {
            return new Plan(
                    object,
                    Action.UNCHANGED,
                    false,
                    List.of(),
                    live.getMetadata().getResourceVersion());
        }
    }

    /**
     * @param ignore the owner's ignore rules: what they select is neither compared nor changed (see
     *     {@link IgnoredFields})
     */
    public Plan plan(GenericKubernetesResource object, boolean force, IgnoreRules ignore)
            throws ApplyException {
        ObjectId id = ObjectId.of(object);
        try {
            if (leftAlone(object)) {
                return new Plan(object, Action.UNCHANGED, false);
            }
            requireNamespace(object, id);
            // the dry run first: for an object that does not exist yet (no resourceVersion in the
            // answer) that is all there is to know, and no read is spent on it
            GenericKubernetesResource dryRun;
            try {
                dryRun =
                        client.resource(object)
                                .dryRun()
                                .fieldManager(fieldManager)
                                .forceConflicts()
                                .serverSideApply();
            } catch (KubernetesClientException e) {
                GenericKubernetesResource live = readOrThrow(object, e);
                if (live != null && leftAsItIs(object, live)) {
                    return Plan.unchanged(object, live);
                }
                if (live != null && force && immutable(e)) {
                    return new Plan(object, Action.CONFIGURED, true);
                }
                throw e;
            }
            String version = dryRun.getMetadata().getResourceVersion();
            if (version == null || version.isEmpty()) {
                return new Plan(object, Action.CREATED, false);
            }
            GenericKubernetesResource live = client.resource(object).get();
            if (live == null) {
                return new Plan(object, Action.CREATED, false); // deleted since the dry run
            }
            if (leftAsItIs(object, live)) {
                return Plan.unchanged(object, live);
            }
            List<Map<String, Object>> cleaning = cleaning(object, live);
            // as fluxcd/pkg/ssa: the rules select by the dry run (the object as it would be)
            List<String> ignored = ignore.paths(dryRun);
            boolean same =
                    IgnoredFields.without(comparable(dryRun), ignored)
                            .equals(IgnoredFields.without(comparable(live), ignored));
            if (cleaning.isEmpty() && same) {
                return Plan.unchanged(object, live);
            }
            return new Plan(
                    // the whole live object is converted only when there are fields to keep
                    ignored.isEmpty()
                            ? object
                            : IgnoredFields.payload(
                                    object, cleaned(live, cleaning), dryRun, ignored, fieldManager),
                    Action.CONFIGURED,
                    false,
                    cleaning,
                    null);
        } catch (KubernetesClientException e) {
            throw failed(id, e);
        }
    }

    /** The live object, after {@code refused} (which is thrown when it cannot be read either). */
    private GenericKubernetesResource readOrThrow(
            GenericKubernetesResource object, KubernetesClientException refused) {
        try {
            return client.resource(object).get();
        } catch (KubernetesClientException unreadable) {
            refused.addSuppressed(unreadable);
            throw refused;
        }
    }

    /** Marked to be left alone, or to be applied only when it does not exist. */
    private static boolean leftAsItIs(
            GenericKubernetesResource object, GenericKubernetesResource live) {
        return leftAlone(live)
                || Annotations.SSA_IF_NOT_PRESENT.equals(annotation(object, Annotations.SSA));
    }

    /** Does what the plan says; what it did, with the version it left the object at. */
    public AppliedObject execute(Plan plan) throws ApplyException {
        try {
            String version = plan.liveVersion();
            if (plan.recreate()) {
                version = recreate(plan.object());
            } else if (plan.action() != Action.UNCHANGED) {
                if (!plan.cleanup().isEmpty()) {
                    clean(plan.object());
                }
                version =
                        client.resource(plan.object())
                                .fieldManager(fieldManager)
                                .forceConflicts()
                                .serverSideApply()
                                .getMetadata()
                                .getResourceVersion();
            }
            return applied(plan.object(), plan.action(), version);
        } catch (KubernetesClientException e) {
            throw failed(ObjectId.of(plan.object()), e);
        }
    }

    /**
     * How an object, what applying it did and the version it left the object at (null: not known)
     * are reported.
     */
    public static AppliedObject applied(
            GenericKubernetesResource object, Action action, String resourceVersion) {
        ObjectId id = ObjectId.of(object);
        return new AppliedObject(
                id.apiVersion(), id.kind(), id.namespace(), id.name(), action, resourceVersion);
    }

    private void requireNamespace(GenericKubernetesResource object, ObjectId id)
            throws ApplyException {
        String namespace = object.getMetadata().getNamespace();
        if ((namespace == null || namespace.isEmpty())
                && kinds.namespaced(object.getApiVersion(), object.getKind()).orElse(false)) {
            throw new ApplyException(
                    id.kind() + "/" + object.getMetadata().getName() + " namespace not specified",
                    null);
        }
    }

    private static ApplyException failed(ObjectId id, KubernetesClientException e) {
        String reason =
                e.getStatus() != null && e.getStatus().getMessage() != null
                        ? e.getStatus().getMessage()
                        : e.getMessage();
        if (reason != null && reason.contains("Could not find a registered handler")) {
            reason =
                    "the cluster has no "
                            + id.apiVersion()
                            + " "
                            + id.kind()
                            + " (is its CustomResourceDefinition installed?)";
        } else if (immutable(e)) {
            reason = reason + " (set spec.force: true to have Sluice delete and recreate it)";
        }
        return new ApplyException(id.display() + " apply failed: " + reason, e);
    }

    /** Whether the object, as given or as live, asks to be left as it is. */
    public static boolean leftAlone(HasMetadata object) {
        return Annotations.DISABLED.equals(annotation(object, Annotations.RECONCILE))
                || Annotations.SSA_IGNORE.equals(annotation(object, Annotations.SSA));
    }

    /** The version of the object created again. */
    private String recreate(GenericKubernetesResource object) {
        client.resource(object).withTimeout(60, TimeUnit.SECONDS).delete();
        client.resource(object).waitUntilCondition(o -> o == null, 60, TimeUnit.SECONDS);
        return client.resource(object)
                .fieldManager(fieldManager)
                .forceConflicts()
                .serverSideApply()
                .getMetadata()
                .getResourceVersion();
    }

    private static boolean immutable(KubernetesClientException e) {
        return e.getCode() == 422 && e.getMessage() != null && e.getMessage().contains("immutable");
    }

    public static String annotation(HasMetadata object, String key) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    /** The metadata cleanup the live object needs before {@code object} is applied over it. */
    private List<Map<String, Object>> cleaning(
            GenericKubernetesResource object, GenericKubernetesResource live) {
        if (merged(object) || merged(live)) {
            return List.of();
        }
        Map<String, String> labels = object.getMetadata().getLabels();
        return cleanup.patch(
                metadata(live),
                labels != null && labels.containsKey(Annotations.HELM_OWNER_NAME_LABEL));
    }

    /**
     * The live object with the managed fields its cleanup leaves: the managers taken over own
     * nothing apart from Sluice then.
     */
    @SuppressWarnings("unchecked")
    private static GenericKubernetesResource cleaned(
            GenericKubernetesResource live, List<Map<String, Object>> cleaning) {
        for (Map<String, Object> operation : cleaning) {
            if ("/metadata/managedFields".equals(operation.get("path"))) {
                Map<String, Object> copy =
                        Serialization.jsonMapper()
                                .convertValue(
                                        live, new TypeReference<HashMap<String, Object>>() {});
                ((Map<String, Object>) copy.get("metadata"))
                        .put("managedFields", operation.get("value"));
                return Serialization.jsonMapper()
                        .convertValue(copy, GenericKubernetesResource.class);
            }
        }
        return live;
    }

    /**
     * Cleans the object as it is now (read again: the plan was made before its stage's dry runs),
     * only if it is still that version: a writer in between wins, and the next apply cleans.
     */
    private void clean(GenericKubernetesResource object) {
        GenericKubernetesResource live = client.resource(object).get();
        if (live == null) {
            return;
        }
        List<Map<String, Object>> operations = new java.util.ArrayList<>();
        operations.add(
                Map.of(
                        "op",
                        "test",
                        "path",
                        "/metadata/resourceVersion",
                        "value",
                        live.getMetadata().getResourceVersion()));
        List<Map<String, Object>> cleaning = cleaning(object, live);
        if (cleaning.isEmpty()) {
            return;
        }
        operations.addAll(cleaning);
        try {
            client.resource(live)
                    .patch(
                            new PatchContext.Builder()
                                    .withPatchType(PatchType.JSON)
                                    .withFieldManager(fieldManager)
                                    .build(),
                            Serialization.asJson(operations));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409 && e.getCode() != 422) {
                throw e;
            }
        }
    }

    /**
     * Marked {@code kustomize.toolkit.fluxcd.io/ssa: Merge} (label or annotation, any case), as
     * Flux's cleanup exclusion matches it.
     */
    private static boolean merged(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return Annotations.SSA_MERGE.equalsIgnoreCase(annotation(object, Annotations.SSA))
                || (labels != null
                        && Annotations.SSA_MERGE.equalsIgnoreCase(labels.get(Annotations.SSA)));
    }

    private static Map<String, Object> metadata(GenericKubernetesResource live) {
        return Serialization.jsonMapper()
                .convertValue(live.getMetadata(), new TypeReference<HashMap<String, Object>>() {});
    }

    /** The object without the fields the server changes on every write. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> comparable(GenericKubernetesResource object) {
        Map<String, Object> copy =
                Serialization.jsonMapper()
                        .convertValue(object, new TypeReference<HashMap<String, Object>>() {});
        Map<String, Object> metadata = new HashMap<>((Map<String, Object>) copy.get("metadata"));
        metadata.keySet().removeAll(Set.of("managedFields", "resourceVersion", "generation"));
        copy.put("metadata", metadata);
        return copy;
    }
}
