package io.sluice.contracts.source;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

@JsonIgnoreProperties(ignoreUnknown = true)
public class HelmChartStatus {
    public Long observedGeneration;
    public List<Condition> conditions;
    public Artifact artifact;
    public String url;
    public String lastHandledReconcileAt;
    public String observedChartName;
    public String observedSourceArtifactRevision;
}
