package io.sluice.health.notify.provider;

import io.sluice.health.notify.Delivery;
import io.sluice.health.notify.FluxEvent;
import io.sluice.health.notify.NotificationException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code msteams}: a legacy MessageCard for Office 365 connector hosts ({@code
 * *.webhook.office.com}), an Adaptive Card 1.4 for any other (Power Automate workflows), both as
 * notification-controller builds them.
 */
final class MsTeams implements Notifier {
    private final URI address;

    MsTeams(String address) throws NotificationException {
        this.address = Payloads.address("Microsoft Teams webhook", address);
    }

    @Override
    public void post(FluxEvent event, Delivery delivery) throws NotificationException {
        Object payload =
                address.getHost().endsWith(".webhook.office.com")
                        ? messageCard(event)
                        : adaptiveCard(event);
        delivery.postJson(address, Map.of(), Payloads.json(payload));
    }

    static Map<String, Object> messageCard(FluxEvent event) {
        List<Map<String, String>> facts = new ArrayList<>();
        if (event.metadata() != null) {
            event.metadata().forEach((k, v) -> facts.add(Map.of("name", k, "value", v)));
        }
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("activityTitle", event.message());
        section.put("activitySubtitle", event.objectName());
        section.put("facts", facts);
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("@type", "MessageCard");
        card.put("@context", "http://schema.org/extensions");
        card.put("themeColor", event.isError() ? "FF0000" : "0076D7");
        card.put("summary", event.objectName());
        card.put("sections", List.of(section));
        return card;
    }

    private static Map<String, Object> adaptiveCard(FluxEvent event) {
        Map<String, Object> title = new LinkedHashMap<>();
        title.put("type", "TextBlock");
        title.put("text", event.objectName());
        title.put("size", "large");
        title.put("weight", "bolder");
        title.put("wrap", true);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", "TextBlock");
        message.put("text", event.message());
        if (event.isError()) {
            message.put("color", "attention");
        }
        message.put("wrap", true);
        Map<String, Object> factSet = new LinkedHashMap<>();
        factSet.put("type", "FactSet");
        List<Map<String, String>> facts = new ArrayList<>();
        Map<String, String> rest =
                new TreeMap<>(event.metadata() == null ? Map.of() : event.metadata());
        String summary = rest.remove("summary");
        if (summary != null) {
            facts.add(fact("summary", summary));
        }
        rest.forEach((k, v) -> facts.add(fact(k, v)));
        if (!facts.isEmpty()) {
            factSet.put("facts", facts);
        }
        Map<String, Object> container = new LinkedHashMap<>();
        container.put("type", "Container");
        container.put("items", List.of(title, message, factSet));
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        content.put("type", "AdaptiveCard");
        content.put("version", "1.4");
        content.put("body", List.of(container));
        content.put("msteams", Map.of("width", "Full"));
        Map<String, Object> attachment = new LinkedHashMap<>();
        attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
        attachment.put("content", content);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", "message");
        payload.put("attachments", List.of(attachment));
        return payload;
    }

    private static Map<String, String> fact(String title, String value) {
        Map<String, String> fact = new LinkedHashMap<>();
        fact.put("title", title);
        fact.put("value", value);
        return fact;
    }
}
