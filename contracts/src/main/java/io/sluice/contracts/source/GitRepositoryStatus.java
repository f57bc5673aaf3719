package io.sluice.contracts.source;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

public class GitRepositoryStatus {
    public Long observedGeneration;
    public List<Condition> conditions;
    public Artifact artifact;
    public String lastHandledReconcileAt;
}
