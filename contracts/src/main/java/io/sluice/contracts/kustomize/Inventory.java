package io.sluice.contracts.kustomize;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** What a Kustomization applied, in Flux's format: the set prune works from. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class Inventory {
    public List<InventoryEntry> entries;

    public Inventory() {}

    public Inventory(List<InventoryEntry> entries) {
        this.entries = entries;
    }
}
