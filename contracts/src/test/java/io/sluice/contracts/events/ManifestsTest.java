package io.sluice.contracts.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class ManifestsTest {
    private static final BundleSeal SEAL = BundleSeal.withKey(new byte[32]);
    private static final List<Map<String, Object>> OBJECTS =
            List.of(
                    Map.of(
                            "apiVersion",
                            "v1",
                            "kind",
                            "Secret",
                            "metadata",
                            Map.of("name", "a"),
                            "stringData",
                            Map.of("password", "hunter2-in-clear")),
                    Map.of(
                            "apiVersion",
                            "v1",
                            "kind",
                            "Namespace",
                            "metadata",
                            Map.of("name", "apps")));

    @Test
    void roundTripsObjectsUnchanged() {
        assertThat(Manifests.decode(Manifests.encode(OBJECTS, SEAL), SEAL)).isEqualTo(OBJECTS);
    }

    @Test
    void anEncodedBundleShowsNothingInClearEvenUnpacked() {
        String encoded = Manifests.encode(OBJECTS, SEAL);
        byte[] bytes = Base64.getDecoder().decode(encoded);
        assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).doesNotContain("hunter2");
        assertThatThrownBy(
                        () -> new GZIPInputStream(new ByteArrayInputStream(bytes)).readAllBytes())
                .as("not a plain gzip stream either")
                .isInstanceOf(java.io.IOException.class);
    }

    @Test
    void aBundleSealedWithAnotherKeyIsRefused() {
        byte[] other = new byte[32];
        other[0] = 1;
        String encoded = Manifests.encode(OBJECTS, BundleSeal.withKey(other));
        assertThatThrownBy(() -> Manifests.decode(encoded, SEAL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be opened");
    }
}
