package io.sluice.contracts.kustomize;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

@JsonIgnoreProperties(ignoreUnknown = true)
public class KustomizationStatus {
    public Long observedGeneration;
    public List<Condition> conditions;
    public String lastAppliedRevision;
    public String lastAttemptedRevision;
    public String lastHandledReconcileAt;
    public Inventory inventory;
}
