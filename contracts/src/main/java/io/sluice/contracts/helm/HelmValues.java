package io.sluice.contracts.helm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges a HelmRelease's values in Flux's order: each {@code valuesFrom} source over the previous
 * ones, then {@code spec.values} over them all. Maps merge key by key, recursively; anything else
 * is replaced. Shared by render-service, which renders with them, and apply-service, which records
 * them in the release's storage (as Helm does, for {@code helm get values}) so that they never
 * travel on Kafka: they may come from Secrets.
 */
public final class HelmValues {
    private static final ObjectMapper CANONICAL =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private static final ObjectMapper JSON = new ObjectMapper();

    private HelmValues() {}

    /** A {@code valuesFrom} source missing or unreadable, named in the message. */
    public static final class InvalidValues extends Exception {
        InvalidValues(String message) {
            super(message);
        }
    }

    /**
     * The release's values: its {@code valuesFrom} sources read from the cluster (in the
     * HelmRelease's namespace), then {@code spec.values}, merged.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> of(KubernetesClient client, HelmRelease release)
            throws InvalidValues {
        List<Map<String, Object>> layers =
                new ArrayList<>(
                        ValuesSources.read(
                                client,
                                release.getMetadata().getNamespace(),
                                release.getSpec().valuesFrom));
        if (release.getSpec().values != null && release.getSpec().values.isObject()) {
            layers.add(JSON.convertValue(release.getSpec().values, Map.class));
        }
        return merge(layers);
    }

    public static Map<String, Object> merge(List<Map<String, Object>> layers) {
        Map<String, Object> merged = new LinkedHashMap<>();
        for (Map<String, Object> layer : layers) {
            mergeInto(merged, layer);
        }
        return merged;
    }

    /**
     * {@code sha256:<hex>} of the values as JSON with sorted keys: equal values, equal digest,
     * whatever their order.
     */
    public static String digest(Map<String, Object> values) {
        try {
            byte[] json = CANONICAL.writeValueAsString(values).getBytes(StandardCharsets.UTF_8);
            return "sha256:"
                    + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot digest values", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void mergeInto(Map<String, Object> base, Map<String, Object> overlay) {
        overlay.forEach(
                (key, value) -> {
                    if (value instanceof Map<?, ?> overlayMap
                            && base.get(key) instanceof Map<?, ?> baseMap) {
                        Map<String, Object> nested =
                                new LinkedHashMap<>((Map<String, Object>) baseMap);
                        mergeInto(nested, (Map<String, Object>) overlayMap);
                        base.put(key, nested);
                    } else {
                        base.put(key, value);
                    }
                });
    }
}
