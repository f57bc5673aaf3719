package io.sluice.health.notify.provider;

import io.sluice.health.notify.Delivery;
import io.sluice.health.notify.FluxEvent;
import io.sluice.health.notify.NotificationException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code alertmanager}: a list of one firing alert whose labels are the metadata and the object
 * ({@code alertname} {@code Flux<Kind><Reason in title case>}), with the message (and the summary)
 * as annotations. Basic auth when the Secret has a username and password, else a Bearer token.
 */
final class Alertmanager implements Notifier {
    private static final String NEVER = "0001-01-01T00:00:00Z";
    private final URI address;
    private final String authorization;

    Alertmanager(String address, String token, String username, String password)
            throws NotificationException {
        this.address = Payloads.address("Alertmanager", address);
        if (username != null && password != null) {
            authorization =
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString(
                                            (username + ":" + password)
                                                    .getBytes(StandardCharsets.UTF_8));
        } else if (token != null && !token.isEmpty()) {
            authorization = "Bearer " + token;
        } else {
            authorization = null;
        }
    }

    @Override
    public void post(FluxEvent event, Delivery delivery) throws NotificationException {
        Map<String, String> labels =
                new LinkedHashMap<>(event.metadata() == null ? Map.of() : event.metadata());
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("message", event.message());
        String summary = labels.remove("summary");
        if (summary != null) {
            annotations.put("summary", summary);
        }
        FluxEvent.InvolvedObject object = event.involvedObject();
        labels.put("alertname", "Flux" + object.kind() + titleCase(event.reason()));
        labels.put("severity", event.severity());
        labels.put("reason", event.reason());
        labels.put("kind", object.kind());
        labels.put("name", object.name());
        labels.put("namespace", object.namespace());
        labels.put("reportingcontroller", event.reportingController());
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("status", "firing");
        alert.put("labels", labels);
        alert.put("annotations", annotations);
        alert.put("startsAt", event.timestamp());
        alert.put("endsAt", NEVER);
        Map<String, String> headers =
                authorization == null ? Map.of() : Map.of("Authorization", authorization);
        delivery.postJson(address, headers, Payloads.json(List.of(alert)));
    }

    /** Go's {@code cases.Title}: the first letter upper, the rest of the word lower. */
    static String titleCase(String reason) {
        if (reason == null || reason.isEmpty()) {
            return "";
        }
        return reason.substring(0, 1).toUpperCase(Locale.ROOT)
                + reason.substring(1).toLowerCase(Locale.ROOT);
    }
}
