package io.sluice.apply.owner;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.apply.ignore.IgnoreRules;
import io.sluice.apply.inventory.ObjectId;
import io.sluice.contracts.kustomize.InventoryEntry;
import java.util.List;
import java.util.Map;

/**
 * The object whose manifests are applied (a Kustomization or a HelmRelease): what apply-service
 * reads and records of it.
 */
public interface Owner {
    boolean suspended();

    /**
     * Whether an object whose change is refused as immutable is deleted and recreated ({@code
     * spec.force}).
     */
    boolean force();

    /**
     * The service account ({@code spec.serviceAccountName}) to apply and prune as; null for the
     * default account ({@code SLUICE_DEFAULT_SERVICE_ACCOUNT}), or Sluice's own without one.
     */
    String serviceAccountName();

    /**
     * {@code spec.kubeConfig}: the cluster the objects are applied to (see {@link
     * io.sluice.contracts.cluster.TargetClusters}); null for this one.
     */
    JsonNode kubeConfig();

    /**
     * The fields applies neither compare nor change: a Kustomization's {@code spec.ignore}; none
     * for a HelmRelease (helm-controller's ignore rules are for drift only, an upgrade sets them).
     */
    IgnoreRules ignoreRules();

    /** Whether objects that left the rendered set are deleted. */
    boolean prune();

    /**
     * The labels that mark an applied object as this owner's; prune deletes nothing without them.
     */
    Map<String, String> ownershipLabels();

    List<ObjectId> previousInventory();

    /** How often it is reconciled: {@code spec.interval}. */
    java.time.Duration interval();

    /**
     * When a failed apply is tried again: {@code spec.retryInterval}, else {@code spec.interval}.
     */
    java.time.Duration retryInterval();

    /** Records what was applied ({@code status.inventory}) and the revision attempted. */
    void recordApplied(List<InventoryEntry> inventory, String revision);

    void recordAttempt(String revision);
}
