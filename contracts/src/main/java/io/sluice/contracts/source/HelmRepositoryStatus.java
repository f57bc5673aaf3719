package io.sluice.contracts.source;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

public class HelmRepositoryStatus {
    public Long observedGeneration;
    public List<Condition> conditions;
    public Artifact artifact;
    public String url;
    public String lastHandledReconcileAt;
}
