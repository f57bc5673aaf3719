package io.sluice.contracts.kustomize;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Flux's inventory entry: id {@code <namespace>_<name>_<group>_<kind>}, v the API version. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class InventoryEntry {
    public String id;
    public String v;

    public InventoryEntry() {}

    public InventoryEntry(String id, String v) {
        this.id = id;
        this.v = v;
    }
}
