package io.sluice.health.alert;

import io.sluice.contracts.events.Alert;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets the same alert (object, severity, reason, message) through at most once per window: a
 * release failing the same way at every retry pages once per interval, not once per retry. Any
 * other alert for the object resets it.
 */
public final class AlertThrottle {
    private final Map<String, Sent> last = new ConcurrentHashMap<>();

    private record Sent(String fingerprint, Instant at) {}

    public boolean allow(Alert alert, Duration window) {
        String fingerprint = alert.severity() + "|" + alert.reason() + "|" + alert.message();
        String object = alert.object().key();
        Sent previous = last.get(object);
        if (previous != null
                && previous.fingerprint().equals(fingerprint)
                && previous.at().plus(window).isAfter(alert.timestamp())) {
            return false;
        }
        last.put(object, new Sent(fingerprint, alert.timestamp()));
        return true;
    }
}
