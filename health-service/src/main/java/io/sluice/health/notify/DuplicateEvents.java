package io.sluice.health.notify;

import io.sluice.contracts.meta.Sha256;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * notification-controller's rate limit: an event is forwarded once per five minutes per object,
 * message and revision (a fixed window from the first one), whatever its severity or reason.
 */
final class DuplicateEvents {
    static final Duration WINDOW = Duration.ofMinutes(5);
    private final Map<String, Instant> windows = new ConcurrentHashMap<>();

    /** Whether the event is the first of its kind in the current window (and counts it). */
    boolean firstInWindow(FluxEvent event, Instant now) {
        if (windows.size() > 10_000) {
            windows.values().removeIf(start -> start.plus(WINDOW).isBefore(now));
        }
        FluxEvent.InvolvedObject object = event.involvedObject();
        String key =
                Sha256.hex(
                        String.join(
                                "/",
                                "event",
                                "name=" + object.name(),
                                "namespace=" + object.namespace(),
                                "kind=" + object.kind(),
                                "message=" + event.message(),
                                "revision=" + event.revision().orElse("")));
        boolean[] first = {false};
        windows.compute(
                key,
                (k, start) -> {
                    if (start == null || !now.isBefore(start.plus(WINDOW))) {
                        first[0] = true;
                        return now;
                    }
                    return start;
                });
        return first[0];
    }
}
