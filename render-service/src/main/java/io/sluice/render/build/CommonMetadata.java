package io.sluice.render.build;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code spec.commonMetadata}: labels and annotations set on every object's own metadata (not on
 * pod templates or selectors), replacing values of the same key, as Flux sets them after the build.
 */
public final class CommonMetadata {
    private CommonMetadata() {}

    public static void apply(List<Map<String, Object>> objects, JsonNode commonMetadata) {
        if (commonMetadata == null || commonMetadata.isNull()) {
            return;
        }
        Map<String, String> labels = strings(commonMetadata.path("labels"));
        Map<String, String> annotations = strings(commonMetadata.path("annotations"));
        for (Map<String, Object> object : objects) {
            merge(object, "labels", labels);
            merge(object, "annotations", annotations);
        }
    }

    @SuppressWarnings("unchecked")
    private static void merge(
            Map<String, Object> object, String field, Map<String, String> values) {
        if (values.isEmpty()) {
            return;
        }
        Map<String, Object> metadata =
                (Map<String, Object>)
                        object.computeIfAbsent("metadata", k -> new LinkedHashMap<>());
        Map<String, Object> merged =
                new LinkedHashMap<>(
                        metadata.get(field) instanceof Map<?, ?> existing
                                ? (Map<String, Object>) existing
                                : Map.of());
        merged.putAll(values);
        metadata.put(field, merged);
    }

    private static Map<String, String> strings(JsonNode map) {
        Map<String, String> values = new LinkedHashMap<>();
        map.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
        return values;
    }
}
