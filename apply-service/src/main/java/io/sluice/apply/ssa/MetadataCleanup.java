package io.sluice.apply.ssa;

import io.sluice.apply.ApplyConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What kustomize-controller removes from a live object's metadata before it applies it (fluxcd/pkg
 * ssa's cleanup, with kustomize-controller's options), as a JSON patch: kubectl's last-applied
 * annotation and Flux v1's marks, and the fields of the managers it takes over, whose entries in
 * {@code metadata.managedFields} become Sluice's own (renamed, or merged into Sluice's apply
 * entry). Taking over {@code kubectl} and {@code before-first-apply} is what Flux does, so a field
 * added by {@code kubectl apply} and later removed from Git is removed from the cluster; taking
 * over Flux's own {@code kustomize-controller} and {@code helm-controller} does the same for the
 * fields Flux applied before Sluice took over. Skipped for an object marked {@code
 * kustomize.toolkit.fluxcd.io/ssa: Merge}.
 */
public final class MetadataCleanup {
    /** A manager matched by name prefix and operation, on the object itself (no subresource). */
    record Manager(String prefix, String operation) {
        boolean matches(Map<String, Object> entry) {
            Object subresource = entry.get("subresource");
            return operation.equals(entry.get("operation"))
                    && (subresource == null || "".equals(subresource))
                    && String.valueOf(entry.get("manager")).startsWith(prefix);
        }
    }

    static final List<String> ANNOTATIONS =
            List.of(
                    "kubectl.kubernetes.io/last-applied-configuration",
                    "kustomize.toolkit.fluxcd.io/checksum",
                    "fluxcd.io/sync-checksum");
    static final List<String> LABELS = List.of("fluxcd.io/sync-gc-mark");

    private final String fieldManager;
    private final List<Manager> takenOver;
    private final List<Manager> takenOverForHelm;

    /**
     * The managers kustomize-controller takes over, Flux's own controllers, Sluice's updates, and
     * {@code overrideManagers} (kustomize-controller's {@code --override-manager}).
     */
    public static MetadataCleanup of(ApplyConfig config) {
        return new MetadataCleanup(
                config.fieldManager(), config.overrideManagers().orElse(List.of()));
    }

    public String fieldManager() {
        return fieldManager;
    }

    public MetadataCleanup(String fieldManager, List<String> overrideManagers) {
        this.fieldManager = fieldManager;
        List<Manager> managers =
                new ArrayList<>(
                        List.of(
                                new Manager("kubectl", "Apply"),
                                new Manager("kubectl", "Update"),
                                new Manager("before-first-apply", "Update"),
                                new Manager(fieldManager, "Update"),
                                new Manager("kustomize-controller", "Apply"),
                                new Manager("kustomize-controller", "Update")));
        for (String manager : overrideManagers) {
            managers.add(new Manager(manager, "Apply"));
            managers.add(new Manager(manager, "Update"));
        }
        this.takenOver = List.copyOf(managers);
        List<Manager> helm = new ArrayList<>(takenOver);
        helm.add(new Manager("helm-controller", "Apply"));
        helm.add(new Manager("helm-controller", "Update"));
        this.takenOverForHelm = List.copyOf(helm);
    }

    /**
     * The JSON patch operations for {@code metadata} (of the live object), none when nothing is to
     * be cleaned; {@code helmOwned}: the object is a HelmRelease's.
     */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> patch(Map<String, Object> metadata, boolean helmOwned) {
        List<Map<String, Object>> operations = new ArrayList<>();
        removeKeys(metadata.get("annotations"), ANNOTATIONS, "annotations", operations);
        removeKeys(metadata.get("labels"), LABELS, "labels", operations);
        Object managedFields = metadata.get("managedFields");
        if (managedFields instanceof List<?> entries) {
            List<Map<String, Object>> replaced =
                    takeOver((List<Map<String, Object>>) entries, helmOwned);
            if (replaced != null) {
                operations.add(
                        Map.of(
                                "op", "replace",
                                "path", "/metadata/managedFields",
                                "value", replaced));
            }
        }
        return operations;
    }

    /**
     * The entries with those of the managers taken over made Sluice's apply entry, or null when
     * none is there. As fluxcd/pkg/ssa's PatchReplaceFieldsManagers: the first match is renamed
     * when Sluice has no apply entry yet, every other match is merged into Sluice's entry, which
     * goes last.
     */
    List<Map<String, Object>> takeOver(List<Map<String, Object>> entries, boolean helmOwned) {
        List<Manager> managers = helmOwned ? takenOverForHelm : takenOver;
        Manager ownApply = new Manager(fieldManager, "Apply");
        Map<String, Object> previous = null;
        for (Map<String, Object> entry : entries) {
            if (fieldManager.equals(entry.get("manager")) && ownApply.matches(entry)) {
                previous = entry;
            }
        }
        Map<String, Object> own = previous == null ? null : new LinkedHashMap<>(previous);
        boolean edited = false;
        List<Map<String, Object>> kept = new ArrayList<>();
        for (Map<String, Object> entry : entries) {
            if (entry == previous) {
                continue;
            }
            if (managers.stream().noneMatch(manager -> manager.matches(entry))) {
                kept.add(entry);
                continue;
            }
            edited = true;
            if (own == null) {
                own = new LinkedHashMap<>(entry);
                own.put("manager", fieldManager);
                own.put("operation", "Apply");
            } else {
                own.put("fieldsV1", union(own.get("fieldsV1"), entry.get("fieldsV1")));
            }
        }
        if (!edited) {
            return null;
        }
        kept.add(own);
        return kept;
    }

    /**
     * The union of two field sets in their fieldsV1 form, as structured-merge-diff takes it: a tree
     * of path elements where {@code {}} is a member with no children and {@code "."} marks a member
     * that also has children, so a member meeting its own children keeps its {@code "."}.
     */
    @SuppressWarnings("unchecked")
    static Object union(Object a, Object b) {
        if (!(a instanceof Map<?, ?> left)) {
            return b;
        }
        if (!(b instanceof Map<?, ?> right)) {
            return a;
        }
        Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) left);
        ((Map<String, Object>) right)
                .forEach((key, value) -> merged.merge(key, value, MetadataCleanup::member));
        return merged;
    }

    @SuppressWarnings("unchecked")
    private static Object member(Object a, Object b) {
        boolean leafA = a instanceof Map<?, ?> m && m.isEmpty();
        boolean leafB = b instanceof Map<?, ?> m && m.isEmpty();
        Object merged = union(a, b);
        if (leafA != leafB && merged instanceof Map<?, ?> map) {
            Map<String, Object> withSelf = new LinkedHashMap<>((Map<String, Object>) map);
            withSelf.putIfAbsent(".", Map.of());
            return withSelf;
        }
        return merged;
    }

    private static void removeKeys(
            Object present, List<String> keys, String field, List<Map<String, Object>> operations) {
        if (present instanceof Map<?, ?> map) {
            for (String key : keys) {
                if (map.containsKey(key)) {
                    operations.add(
                            Map.of(
                                    "op",
                                    "remove",
                                    "path",
                                    "/metadata/"
                                            + field
                                            + "/"
                                            + key.replace("~", "~0").replace("/", "~1")));
                }
            }
        }
    }
}
