package io.sluice.apply.drift;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Objects as compact JSON with every map's keys in order, so that equal objects have equal bytes:
 * drift keeps what it compares in this form (a few hundred bytes each instead of a tree of maps).
 */
final class CanonicalJson {
    private static final ObjectMapper SORTED =
            Serialization.jsonMapper()
                    .copy()
                    .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private CanonicalJson() {}

    static byte[] bytes(Object value) {
        try {
            return SORTED.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static GenericKubernetesResource object(byte[] json) {
        try {
            return SORTED.readValue(json, GenericKubernetesResource.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(Object value) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes(value)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
