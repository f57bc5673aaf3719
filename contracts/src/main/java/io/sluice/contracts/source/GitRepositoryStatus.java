package io.sluice.contracts.source;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

@JsonIgnoreProperties(ignoreUnknown = true)
public class GitRepositoryStatus {
    public Long observedGeneration;
    public List<Condition> conditions;
    public Artifact artifact;
    public String lastHandledReconcileAt;

    /** The {@code spec.ignore} the current artifact was built with. */
    public String observedIgnore;

    /** The artifacts of {@code spec.include}, in its order, that the current artifact holds. */
    public List<Artifact> includedArtifacts;

    /** The {@code spec.include} the current artifact was built with. */
    public List<GitRepositoryInclude> observedInclude;

    /** The {@code spec.recurseSubmodules} the current artifact was built with. */
    public Boolean observedRecurseSubmodules;

    /** The {@code verify.mode} the current artifact's revision was verified with. */
    public String sourceVerificationMode;
}
