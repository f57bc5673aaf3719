package io.sluice.apply.ignore;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Ignored fields at apply time, as fluxcd/pkg/ssa treats a Kustomization's ignore rules: they are
 * left out of the comparison that decides whether an object changed, and when it is applied for
 * another reason, an ignored field whose live value differs from Git's is left out of the payload
 * if another applier owns it (Sluice does not take it over) and otherwise applied with its live
 * value (Sluice does not change it).
 */
public final class IgnoredFields {
    private static final ObjectMapper JSON = Serialization.jsonMapper();
    private static final TypeReference<HashMap<String, Object>> MAP = new TypeReference<>() {};

    private IgnoredFields() {}

    /** {@code object} (changed in place) without the fields at {@code pointers}. */
    public static Map<String, Object> without(Map<String, Object> object, List<String> pointers) {
        pointers.forEach(p -> JsonPointers.set(object, p, null));
        return object;
    }

    /** What to apply over {@code live} for {@code desired}, whose dry run gave {@code dryRun}. */
    public static GenericKubernetesResource payload(
            GenericKubernetesResource desired,
            GenericKubernetesResource live,
            GenericKubernetesResource dryRun,
            List<String> pointers,
            String fieldManager) {
        if (pointers.isEmpty()) {
            return desired;
        }
        Map<String, Object> payload = JSON.convertValue(desired, MAP);
        Map<String, Object> current = JSON.convertValue(live, MAP);
        Map<String, Object> wanted = JSON.convertValue(dryRun, MAP);
        List<Map<String, Object>> appliers = otherAppliers(live, fieldManager);
        for (String pointer : pointers) {
            Optional<Object> value = JsonPointers.get(current, pointer);
            if (value.equals(JsonPointers.get(wanted, pointer))) {
                continue;
            }
            if (value.isEmpty()
                    || ownedByOther(current, pointer, appliers)
                    || !JsonPointers.put(payload, pointer, value.get())) {
                JsonPointers.set(payload, pointer, null);
            }
        }
        return JSON.convertValue(payload, GenericKubernetesResource.class);
    }

    /** The field sets of the Apply entries of every manager but Sluice's. */
    private static List<Map<String, Object>> otherAppliers(
            GenericKubernetesResource live, String fieldManager) {
        List<Map<String, Object>> sets = new ArrayList<>();
        List<ManagedFieldsEntry> entries = live.getMetadata().getManagedFields();
        for (ManagedFieldsEntry entry : entries == null ? List.<ManagedFieldsEntry>of() : entries) {
            if ("Apply".equals(entry.getOperation())
                    && (entry.getSubresource() == null || entry.getSubresource().isEmpty())
                    && !fieldManager.equals(entry.getManager())
                    && entry.getFieldsV1() != null) {
                sets.add(JSON.convertValue(entry.getFieldsV1().getAdditionalProperties(), MAP));
            }
        }
        return sets;
    }

    /**
     * Whether one of {@code appliers} owns the field at {@code pointer}: its path in {@code
     * fieldsV1} terms ({@code f:name}, and for a list item the {@code k:{...}} key that names it).
     * A path that cannot be put in those terms counts as Sluice's alone, as in Flux.
     */
    @SuppressWarnings("unchecked")
    private static boolean ownedByOther(
            Map<String, Object> live, String pointer, List<Map<String, Object>> appliers) {
        for (Map<String, Object> fields : appliers) {
            Object node = fields;
            Object object = live;
            boolean found = true;
            for (String token : JsonPointers.tokens(pointer)) {
                if (!(node instanceof Map<?, ?> level)) {
                    found = false;
                    break;
                }
                Object item = JsonPointers.child(object, token);
                String key =
                        object instanceof List<?>
                                ? itemKey((Map<String, Object>) level, item)
                                : "f:" + token;
                if (key == null || !level.containsKey(key)) {
                    found = false;
                    break;
                }
                node = level.get(key);
                object = item;
            }
            if (found) {
                return true;
            }
        }
        return false;
    }

    /** The {@code k:{...}} key of {@code level} whose fields all equal {@code item}'s. */
    @SuppressWarnings("unchecked")
    private static String itemKey(Map<String, Object> level, Object item) {
        if (!(item instanceof Map<?, ?> fields)) {
            return null;
        }
        for (String key : level.keySet()) {
            if (!key.startsWith("k:")) {
                continue;
            }
            try {
                Map<String, Object> names = JSON.readValue(key.substring(2), MAP);
                if (names.entrySet().stream()
                        .allMatch(
                                e ->
                                        Objects.equals(
                                                String.valueOf(e.getValue()),
                                                String.valueOf(fields.get(e.getKey()))))) {
                    return key;
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                // not a key this entry can be read by: not the item's
            }
        }
        return null;
    }
}
