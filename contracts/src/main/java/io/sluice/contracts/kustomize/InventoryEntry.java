package io.sluice.contracts.kustomize;

/** Flux's inventory entry: id {@code <namespace>_<name>_<group>_<kind>}, v the API version. */
public class InventoryEntry {
    public String id;
    public String v;

    public InventoryEntry() {
    }

    public InventoryEntry(String id, String v) {
        this.id = id;
        this.v = v;
    }
}
