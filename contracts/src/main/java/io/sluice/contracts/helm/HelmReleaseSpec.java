package io.sluice.contracts.helm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.contracts.kustomize.DependencyReference;
import java.util.List;

/**
 * Every field of Flux's HelmRelease spec; those Sluice does not act on yet are accepted and kept.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public class HelmReleaseSpec {
    public HelmChartTemplate chart;
    public JsonNode chartRef;
    public String interval;
    public String timeout;
    public Boolean suspend;
    public String releaseName;
    public String targetNamespace;
    public String storageNamespace;
    public List<DependencyReference> dependsOn;
    public Integer maxHistory;
    public String serviceAccountName;
    public Boolean persistentClient;
    public JsonNode kubeConfig;
    public JsonNode driftDetection;
    public JsonNode install;
    public JsonNode upgrade;
    public JsonNode test;
    public JsonNode rollback;
    public JsonNode uninstall;
    public List<ValuesReference> valuesFrom;
    public JsonNode values;
    public JsonNode postRenderers;
    public JsonNode commonMetadata;
}
