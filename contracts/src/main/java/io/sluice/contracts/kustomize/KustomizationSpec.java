package io.sluice.contracts.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.generator.annotation.Required;
import java.util.List;
import java.util.Map;

/** Every field of Flux's Kustomization spec; those Sluice does not act on yet are accepted and kept. */
public class KustomizationSpec {
    @Required
    public SourceReference sourceRef;
    public String path;
    @Required
    public String interval;
    public String retryInterval;
    public String timeout;
    @Required
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
    public List<String> components;
    public Map<String, String> commonMetadataLabels;
    public JsonNode commonMetadata;
    public JsonNode patches;
    public JsonNode images;
    public JsonNode postBuild;
    public JsonNode decryption;
    public JsonNode kubeConfig;
    public String deletionPolicy;
}
