package io.sluice.health.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.contracts.events.Alert;
import io.sluice.contracts.events.ObjectRef;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AlertThrottleTest {
    private static final ObjectRef APPS = new ObjectRef("Kustomization", "flux-system", "apps");
    private static final Instant T0 = Instant.parse("2026-11-27T00:00:00Z");
    private final AlertThrottle throttle = new AlertThrottle();

    @Test
    void theSameFailureIsSentOncePerWindow() {
        Duration window = Duration.ofMinutes(10);
        assertThat(throttle.allow(alert("BuildFailed", "x", T0), window)).isTrue();
        assertThat(throttle.allow(alert("BuildFailed", "x", T0.plusSeconds(30)), window)).isFalse();
        assertThat(throttle.allow(alert("BuildFailed", "x", T0.plusSeconds(601)), window)).isTrue();
    }

    @Test
    void aDifferentAlertGoesThroughAndResetsTheWindow() {
        Duration window = Duration.ofMinutes(10);
        assertThat(throttle.allow(alert("BuildFailed", "x", T0), window)).isTrue();
        assertThat(throttle.allow(alert("BuildFailed", "y", T0.plusSeconds(1)), window)).isTrue();
        assertThat(throttle.allow(alert("BuildFailed", "x", T0.plusSeconds(2)), window)).isTrue();
        assertThat(throttle.allow(alert("BuildFailed", "x", T0.plusSeconds(3)), window)).isFalse();
        assertThat(
                        throttle.allow(
                                new Alert(
                                        Alert.Severity.error,
                                        "BuildFailed",
                                        "x",
                                        new ObjectRef("Kustomization", "flux-system", "infra"),
                                        "r",
                                        T0.plusSeconds(4)),
                                window))
                .isTrue();
    }

    private static Alert alert(String reason, String message, Instant at) {
        return new Alert(Alert.Severity.error, reason, message, APPS, "main@sha1:1", at);
    }
}
