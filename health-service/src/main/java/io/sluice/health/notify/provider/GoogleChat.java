package io.sluice.health.notify.provider;

import io.sluice.health.notify.Delivery;
import io.sluice.health.notify.FluxEvent;
import io.sluice.health.notify.NotificationException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code googlechat}: one card titled by the object, the controller as subtitle, the message (in
 * red for an error) and a key-value widget per metadata entry.
 */
final class GoogleChat implements Notifier {
    private final URI address;

    GoogleChat(String address) throws NotificationException {
        this.address = Payloads.address("Google Chat hook", address);
    }

    @Override
    public void post(FluxEvent event, Delivery delivery) throws NotificationException {
        String text =
                event.isError()
                        ? "<font color=\"#ff0000\">" + event.message() + "</font>"
                        : event.message();
        Map<String, Object> paragraph = new LinkedHashMap<>();
        paragraph.put("textParagraph", Map.of("text", text));
        paragraph.put("keyValue", null);
        List<Map<String, Object>> sections = new ArrayList<>();
        sections.add(section(List.of(paragraph)));
        if (event.metadata() != null && !event.metadata().isEmpty()) {
            List<Map<String, Object>> widgets = new ArrayList<>();
            event.metadata()
                    .forEach(
                            (k, v) -> {
                                Map<String, Object> keyValue = new LinkedHashMap<>();
                                keyValue.put("topLabel", k);
                                keyValue.put("content", v);
                                keyValue.put("contentMultiline", false);
                                keyValue.put("bottomLabel", null);
                                keyValue.put("icon", null);
                                Map<String, Object> widget = new LinkedHashMap<>();
                                widget.put("textParagraph", null);
                                widget.put("keyValue", keyValue);
                                widgets.add(widget);
                            });
            sections.add(section(widgets));
        }
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("title", event.objectName());
        header.put("subtitle", event.reportingController());
        header.put("imageUrl", null);
        header.put("imageStyle", null);
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("header", header);
        card.put("sections", sections);
        delivery.postJson(address, Map.of(), Payloads.json(Map.of("cards", List.of(card))));
    }

    private static Map<String, Object> section(List<Map<String, Object>> widgets) {
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("header", "");
        section.put("widgets", widgets);
        return section;
    }
}
