package io.sluice.render.helm;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.meta.Annotations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What happens to the CRDs in a chart's {@code crds/}, as Flux decides it: {@code install.crds}
 * (default {@code Create}) until the release has been applied once, {@code upgrade.crds} (default
 * {@code Skip}) after. {@code Create} applies a CRD only if it is not there ({@code ssa:
 * IfNotPresent}); {@code CreateReplace} applies it like any object; {@code Skip} leaves it out.
 * Like Helm, Sluice never deletes a chart's CRDs: each carries {@code prune: disabled}, so leaving
 * them out later does not remove them.
 */
public enum CrdPolicy {
    SKIP,
    CREATE,
    CREATE_REPLACE;

    /** {@code installed}: the release is installed, so this render is an upgrade. */
    static CrdPolicy of(HelmRelease release, boolean installed) {
        JsonNode section = installed ? release.getSpec().upgrade : release.getSpec().install;
        String value = section == null ? "" : section.path("crds").asText("");
        return switch (value) {
            case "Skip" -> SKIP;
            case "Create" -> CREATE;
            case "CreateReplace" -> CREATE_REPLACE;
            default -> installed ? SKIP : CREATE;
        };
    }

    boolean includes() {
        return this != SKIP;
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> mark(List<Map<String, Object>> crds) {
        for (Map<String, Object> crd : crds) {
            Map<String, Object> metadata =
                    (Map<String, Object>)
                            crd.computeIfAbsent("metadata", k -> new LinkedHashMap<>());
            Map<String, Object> annotations =
                    new LinkedHashMap<>(
                            (Map<String, Object>) metadata.getOrDefault("annotations", Map.of()));
            annotations.put(Annotations.PRUNE, Annotations.DISABLED);
            if (this == CREATE) {
                annotations.put(Annotations.SSA, Annotations.SSA_IF_NOT_PRESENT);
            }
            metadata.put("annotations", annotations);
        }
        return crds;
    }
}
