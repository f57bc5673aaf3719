package io.sluice.apply.inventory;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.sluice.contracts.events.AppliedObject;
import io.sluice.contracts.kustomize.InventoryEntry;

/**
 * An object's identity in Flux's inventory format: {@code <namespace>_<name>_<group>_<kind>} (empty
 * namespace for cluster-scoped objects, empty group for the core API), with the API version kept
 * beside it.
 */
public record ObjectId(String namespace, String name, String group, String kind, String version) {

    public static ObjectId of(HasMetadata object) {
        return of(
                object.getApiVersion(),
                object.getKind(),
                object.getMetadata().getNamespace(),
                object.getMetadata().getName());
    }

    public static ObjectId of(AppliedObject object) {
        return of(object.apiVersion(), object.kind(), object.namespace(), object.name());
    }

    private static ObjectId of(String apiVersion, String kind, String namespace, String name) {
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
        return new ObjectId(namespace == null ? "" : namespace, name, group, kind, version);
    }

    public static ObjectId of(InventoryEntry entry) {
        String[] parts = entry.id.split("_", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("invalid inventory id '" + entry.id + "'");
        }
        return new ObjectId(parts[0], parts[1], parts[2], parts[3], entry.v);
    }

    public String id() {
        return namespace + "_" + name + "_" + group + "_" + kind;
    }

    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    public InventoryEntry entry() {
        return new InventoryEntry(id(), version);
    }

    /**
     * As Flux prints objects in messages: {@code Kind/namespace/name}, or {@code Kind/name} when
     * cluster-scoped.
     */
    public String display() {
        return namespace.isEmpty() ? kind + "/" + name : kind + "/" + namespace + "/" + name;
    }
}
