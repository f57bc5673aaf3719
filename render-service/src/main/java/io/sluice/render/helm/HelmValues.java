package io.sluice.render.helm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges a HelmRelease's values in Flux's order: each {@code valuesFrom} source over the previous ones, then
 * {@code spec.values} over them all. Maps merge key by key, recursively; anything else is replaced.
 */
public final class HelmValues {
    private HelmValues() {
    }

    public static Map<String, Object> merge(List<Map<String, Object>> layers) {
        Map<String, Object> merged = new LinkedHashMap<>();
        for (Map<String, Object> layer : layers) {
            mergeInto(merged, layer);
        }
        return merged;
    }

    @SuppressWarnings("unchecked")
    private static void mergeInto(Map<String, Object> base, Map<String, Object> overlay) {
        overlay.forEach((key, value) -> {
            if (value instanceof Map<?, ?> overlayMap && base.get(key) instanceof Map<?, ?> baseMap) {
                Map<String, Object> nested = new LinkedHashMap<>((Map<String, Object>) baseMap);
                mergeInto(nested, (Map<String, Object>) overlayMap);
                base.put(key, nested);
            } else {
                base.put(key, value);
            }
        });
    }
}
