package io.sluice.contracts.helm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * Flux's HelmRelease status. apply-service keeps the remediation record here as helm-controller
 * does (the {@code lastAttempted*} fields and the failure counters), so it survives any restart;
 * the releases themselves live in Helm's storage Secrets.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public class HelmReleaseStatus {
    public Long observedGeneration;
    public List<Condition> conditions;
    public String lastAttemptedRevision;
    public String lastAttemptedValuesChecksum;
    public String lastHandledReconcileAt;

    /** {@code <namespace>/<name>} of the HelmChart written from {@code spec.chart}. */
    public String helmChart;

    public String lastHandledForceAt;
    public String lastHandledResetAt;
    public String storageNamespace;
    public Long lastAttemptedGeneration;
    public String lastAttemptedConfigDigest;

    /**
     * {@code install} or {@code upgrade}: which remediation settings apply to the failure counters.
     */
    public String lastAttemptedReleaseAction;

    public Long installFailures;
    public Long upgradeFailures;
    public Long failures;

    /**
     * What Sluice applied for this release, in the Kustomization inventory format (prune works from
     * it).
     */
    public io.sluice.contracts.kustomize.Inventory inventory;

    /**
     * The stored revisions, newest first, cut as helm-controller cuts it: down to the last one that
     * was deployed.
     */
    public List<Snapshot> history;
}
