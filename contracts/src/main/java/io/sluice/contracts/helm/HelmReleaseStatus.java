package io.sluice.contracts.helm;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

public class HelmReleaseStatus {
    public Long observedGeneration;
    public List<Condition> conditions;
    public String lastAttemptedRevision;
    public String lastAttemptedValuesChecksum;
    public String lastHandledReconcileAt;
    public String storageNamespace;
    public Long installFailures;
    public Long upgradeFailures;
    public Long failures;
    /** What Sluice applied for this release, in the Kustomization inventory format (prune works from it). */
    public io.sluice.contracts.kustomize.Inventory inventory;
    public String lastAppliedRevision;
}
