package io.sluice.contracts.meta;

/** Flux's annotations and labels, honoured by Sluice under the same names. */
public final class Annotations {
    public static final String REQUESTED_AT = "reconcile.fluxcd.io/requestedAt";
    public static final String RECONCILE = "kustomize.toolkit.fluxcd.io/reconcile";
    public static final String PRUNE = "kustomize.toolkit.fluxcd.io/prune";
    public static final String DISABLED = "disabled";

    /**
     * Server-side apply policy of one object: {@code IfNotPresent} (create only), {@code Ignore},
     * {@code Merge}.
     */
    public static final String SSA = "kustomize.toolkit.fluxcd.io/ssa";

    public static final String SSA_IF_NOT_PRESENT = "IfNotPresent";
    public static final String SSA_IGNORE = "Ignore";
    public static final String SSA_MERGE = "Merge";

    /**
     * Marks a chart's hook; apply-service orders hooks around the release's other objects by it.
     */
    public static final String HELM_HOOK = "helm.sh/hook";

    /** Ownership labels put on every applied object; prune never deletes an object without them. */
    public static final String OWNER_NAME_LABEL = "kustomize.toolkit.fluxcd.io/name";

    public static final String OWNER_NAMESPACE_LABEL = "kustomize.toolkit.fluxcd.io/namespace";

    /** The same for objects of a HelmRelease, as helm-controller labels them. */
    public static final String HELM_OWNER_NAME_LABEL = "helm.toolkit.fluxcd.io/name";

    public static final String HELM_OWNER_NAMESPACE_LABEL = "helm.toolkit.fluxcd.io/namespace";

    private Annotations() {}
}
