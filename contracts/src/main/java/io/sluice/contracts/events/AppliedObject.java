package io.sluice.contracts.events;

/**
 * One object of a change set and what applying it did. {@code resourceVersion} is the version the
 * apply left the object at: what its write returned, what was read when it was left unchanged, or
 * (a revision that rendered what was applied already, nothing written) the latest version Sluice
 * applied or read it at since its last full apply. A watch that has seen that version shows the
 * object at least as the apply knew it. Null when not known: deleted, left alone as Git marks it,
 * named in {@code spec.healthChecks}, or from an older apply-service.
 */
public record AppliedObject(
        String apiVersion,
        String kind,
        String namespace,
        String name,
        Action action,
        String resourceVersion) {

    public enum Action {
        CREATED,
        CONFIGURED,
        UNCHANGED,
        DELETED
    }

    /**
     * As kubectl and Flux print it: {@code Deployment/apps/web}, or {@code Namespace/apps} for
     * cluster-scoped objects.
     */
    public String display() {
        return namespace == null || namespace.isEmpty()
                ? kind + "/" + name
                : kind + "/" + namespace + "/" + name;
    }
}
