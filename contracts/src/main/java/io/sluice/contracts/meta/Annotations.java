package io.sluice.contracts.meta;

/** Flux's annotations and labels, honoured by Sluice under the same names. */
public final class Annotations {
    public static final String REQUESTED_AT = "reconcile.fluxcd.io/requestedAt";
    public static final String RECONCILE = "kustomize.toolkit.fluxcd.io/reconcile";
    public static final String PRUNE = "kustomize.toolkit.fluxcd.io/prune";
    public static final String DISABLED = "disabled";

    /** Ownership labels put on every applied object; prune never deletes an object without them. */
    public static final String OWNER_NAME_LABEL = "kustomize.toolkit.fluxcd.io/name";
    public static final String OWNER_NAMESPACE_LABEL = "kustomize.toolkit.fluxcd.io/namespace";
    /** The same for objects of a HelmRelease, as helm-controller labels them. */
    public static final String HELM_OWNER_NAME_LABEL = "helm.toolkit.fluxcd.io/name";
    public static final String HELM_OWNER_NAMESPACE_LABEL = "helm.toolkit.fluxcd.io/namespace";

    private Annotations() {
    }
}
