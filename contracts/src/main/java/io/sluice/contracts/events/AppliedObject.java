package io.sluice.contracts.events;

/** One object of a change set and what applying it did. */
public record AppliedObject(
        String apiVersion, String kind, String namespace, String name, Action action) {

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
