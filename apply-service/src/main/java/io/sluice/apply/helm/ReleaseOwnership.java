package io.sluice.apply.helm;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.apply.ssa.ApplyException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Helm's ownership metadata: every object of a release carries {@code app.kubernetes.io/managed-by:
 * Helm} and the {@code meta.helm.sh/release-name} and {@code -namespace} annotations. Before a
 * release takes an object that already exists, the object must carry them for this release (or
 * Flux's labels for this HelmRelease, as objects a HelmRelease applied do): otherwise the install
 * fails as Helm's does, naming the object, and the object is left untouched.
 */
final class ReleaseOwnership {
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String RELEASE_NAME = "meta.helm.sh/release-name";
    static final String RELEASE_NAMESPACE = "meta.helm.sh/release-namespace";

    private ReleaseOwnership() {}

    /** Puts the release's ownership metadata on an object about to be applied. */
    static void stamp(GenericKubernetesResource object, String release, String namespace) {
        Map<String, String> labels =
                new HashMap<>(
                        object.getMetadata().getLabels() == null
                                ? Map.of()
                                : object.getMetadata().getLabels());
        labels.put(MANAGED_BY, "Helm");
        object.getMetadata().setLabels(labels);
        Map<String, String> annotations =
                new HashMap<>(
                        object.getMetadata().getAnnotations() == null
                                ? Map.of()
                                : object.getMetadata().getAnnotations());
        annotations.put(RELEASE_NAME, release);
        annotations.put(RELEASE_NAMESPACE, namespace);
        object.getMetadata().setAnnotations(annotations);
    }

    /**
     * Fails on the first object that exists and belongs to no one or to someone else; {@code known}
     * are the objects of the release's earlier revisions, which are its own already (Helm checks
     * only objects new to the release).
     */
    static void check(
            KubernetesClient client,
            List<GenericKubernetesResource> objects,
            Set<String> known,
            String release,
            String namespace,
            Map<String, String> fluxLabels,
            String action)
            throws ApplyException {
        for (GenericKubernetesResource object : objects) {
            if (known.contains(io.sluice.apply.inventory.ObjectId.of(object).id())) {
                continue;
            }
            GenericKubernetesResource live = client.resource(object).get();
            if (live == null || carries(live.getMetadata().getLabels(), fluxLabels)) {
                continue;
            }
            List<String> errors = errors(live, release, namespace);
            if (!errors.isEmpty()) {
                String where =
                        live.getMetadata().getNamespace() == null
                                ? ""
                                : " in namespace \"" + live.getMetadata().getNamespace() + "\"";
                throw new ApplyException(
                        "Unable to continue with "
                                + action
                                + ": "
                                + live.getKind()
                                + " \""
                                + live.getMetadata().getName()
                                + "\""
                                + where
                                + " exists and cannot be imported into the current release: invalid ownership metadata; "
                                + String.join("; ", errors),
                        null);
            }
        }
    }

    private static List<String> errors(
            GenericKubernetesResource live, String release, String namespace) {
        List<String> errors = new ArrayList<>();
        check(live.getMetadata().getLabels(), MANAGED_BY, "Helm", "label", errors);
        check(live.getMetadata().getAnnotations(), RELEASE_NAME, release, "annotation", errors);
        check(
                live.getMetadata().getAnnotations(),
                RELEASE_NAMESPACE,
                namespace,
                "annotation",
                errors);
        return errors;
    }

    private static void check(
            Map<String, String> values,
            String key,
            String expected,
            String what,
            List<String> errors) {
        String actual = values == null ? null : values.get(key);
        if (actual == null) {
            errors.add(
                    what
                            + " validation error: missing key \""
                            + key
                            + "\": must be set to \""
                            + expected
                            + "\"");
        } else if (!actual.equals(expected)) {
            errors.add(
                    what
                            + " validation error: key \""
                            + key
                            + "\" must equal \""
                            + expected
                            + "\": current value is \""
                            + actual
                            + "\"");
        }
    }

    private static boolean carries(Map<String, String> labels, Map<String, String> expected) {
        return labels != null && labels.entrySet().containsAll(expected.entrySet());
    }
}
