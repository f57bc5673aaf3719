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
}
