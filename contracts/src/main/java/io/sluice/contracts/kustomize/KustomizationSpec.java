package io.sluice.contracts.kustomize;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Every field of Flux's Kustomization spec; those Sluice does not act on yet are accepted and kept.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public class KustomizationSpec {
    public SourceReference sourceRef;
    public String path;
    public String interval;
    public String retryInterval;
    public String timeout;
    public Boolean prune;
    public Boolean wait;
    public Boolean force;
    public Boolean suspend;
    public String targetNamespace;
    public String namePrefix;
    public String nameSuffix;
    public String serviceAccountName;
    public List<DependencyReference> dependsOn;
    public List<HealthCheckReference> healthChecks;
    public JsonNode healthCheckExprs;
    public List<String> components;
    public Boolean ignoreMissingComponents;
    public JsonNode commonMetadata;
    public JsonNode patches;
    public JsonNode images;
    public JsonNode postBuild;
    public JsonNode decryption;
    public JsonNode kubeConfig;
    public String deletionPolicy;
    public JsonNode ignore;
}
