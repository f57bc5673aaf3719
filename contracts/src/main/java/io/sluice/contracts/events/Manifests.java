package io.sluice.contracts.events;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * How rendered objects travel in a {@link RenderResult}: a JSON array, gzip-compressed (CRD bundles
 * shrink ~10x), sealed by {@link BundleSeal} (rendered Secrets are never readable on Kafka),
 * base64-encoded. Nothing is ever truncated: a bundle too large for the broker fails loudly at send
 * time.
 */
public final class Manifests {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Map<String, Object>>> OBJECTS =
            new TypeReference<>() {};

    private Manifests() {}

    public static String encode(List<Map<String, Object>> objects, BundleSeal seal) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(bytes)) {
            JSON.writeValue(gzip, objects);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return seal.seal(bytes.toByteArray());
    }

    public static List<Map<String, Object>> decode(String encoded, BundleSeal seal) {
        try (InputStream gzip = new GZIPInputStream(new ByteArrayInputStream(seal.open(encoded)))) {
            return JSON.readValue(gzip, OBJECTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
