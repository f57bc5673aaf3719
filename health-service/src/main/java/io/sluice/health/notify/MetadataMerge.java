package io.sluice.health.notify;

import io.sluice.contracts.notification.AlertSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An event's metadata as an Alert forwards it, by notification-controller's precedence (lowest
 * first): the involved object's {@code event.toolkit.fluxcd.io/} annotations (prefix stripped), the
 * Alert's {@code eventMetadata}, its deprecated {@code summary}, then the controller's own keys. A
 * key set by two of them is a conflict: the higher wins, and it is reported.
 */
final class MetadataMerge {
    static final String ANNOTATION_PREFIX = "event.toolkit.fluxcd.io/";

    record Merged(Map<String, String> metadata, Map<String, List<String>> conflicts) {}

    private MetadataMerge() {}

    static Merged merge(
            Map<String, String> annotations, AlertSpec alert, Map<String, String> controller) {
        Map<String, String> merged = new LinkedHashMap<>();
        Map<String, List<String>> sources = new TreeMap<>();
        if (annotations != null) {
            annotations.forEach(
                    (key, value) -> {
                        if (key.startsWith(ANNOTATION_PREFIX)) {
                            put(
                                    merged,
                                    sources,
                                    key.substring(ANNOTATION_PREFIX.length()),
                                    value,
                                    "involved object annotations");
                        }
                    });
        }
        if (alert.eventMetadata != null) {
            alert.eventMetadata.forEach(
                    (key, value) ->
                            put(merged, sources, key, value, "Alert object .spec.eventMetadata"));
        }
        if (alert.summary != null && !alert.summary.isEmpty()) {
            put(merged, sources, "summary", alert.summary, "Alert object .spec.summary");
        }
        controller.forEach(
                (key, value) ->
                        put(merged, sources, key, value, "involved object controller metadata"));
        Map<String, List<String>> conflicts = new TreeMap<>();
        sources.forEach(
                (key, from) -> {
                    if (from.size() > 1) {
                        conflicts.put(key, from);
                    }
                });
        return new Merged(merged, conflicts);
    }

    private static void put(
            Map<String, String> merged,
            Map<String, List<String>> sources,
            String key,
            String value,
            String source) {
        merged.put(key, value);
        sources.computeIfAbsent(key, k -> new ArrayList<>()).add(source);
    }
}
