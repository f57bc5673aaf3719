package io.sluice.health.notify.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.health.notify.Delivery;
import io.sluice.health.notify.FluxEvent;
import io.sluice.health.notify.NotificationException;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code slack}, {@code rocket} (Rocket.Chat's Slack-compatible hook: hex colours, no fallback, the
 * username only as given) and {@code discord} (whose Slack-compatible endpoint is the webhook URL
 * with {@code /slack} appended): one attachment, red ({@code danger}) for an error and green
 * ({@code good}) otherwise, the metadata as fields. A token is sent as a Bearer; when the address
 * is Slack's {@code chat.postMessage} API its {@code ok: false} answer is an error.
 */
final class Slack implements Notifier {
    private static final String POST_MESSAGE = "https://slack.com/api/chat.postMessage";
    private final URI address;
    private final String channel;
    private final String username;
    private final String token;
    private final Style style;

    /** The dialects of Slack's payload that Flux sends. */
    private enum Style {
        SLACK,
        DISCORD,
        ROCKET
    }

    private Slack(URI address, String channel, String username, String token, Style style) {
        this.address = address;
        this.channel = channel;
        this.username = username;
        this.token = token;
        this.style = style;
    }

    static Slack slack(String address, String channel, String username, String token)
            throws NotificationException {
        return new Slack(
                Payloads.address("Slack hook", address), channel, username, token, Style.SLACK);
    }

    static Slack rocket(String address, String channel, String username)
            throws NotificationException {
        return new Slack(
                Payloads.address("Rocket hook", address), channel, username, null, Style.ROCKET);
    }

    static Slack discord(String address, String username) throws NotificationException {
        URI hook = Payloads.address("Discord hook", address);
        if (!hook.getRawPath().endsWith("/slack")) {
            // the query (a thread_id, say) stays, as Go's path.Join on the path alone keeps it
            hook =
                    URI.create(
                            hook.getScheme()
                                    + "://"
                                    + hook.getRawAuthority()
                                    + hook.getRawPath().replaceAll("/*$", "")
                                    + "/slack"
                                    + (hook.getRawQuery() == null ? "" : "?" + hook.getRawQuery()));
        }
        return new Slack(hook, "", username, null, Style.DISCORD);
    }

    @Override
    public void post(FluxEvent event, Delivery delivery) throws NotificationException {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("channel", channel == null ? "" : channel);
        boolean unnamed = username == null || username.isEmpty();
        payload.put(
                "username",
                unnamed && style != Style.ROCKET
                        ? event.reportingController()
                        : unnamed ? "" : username);
        payload.put("icon_url", "");
        payload.put("icon_emoji", "");
        Map<String, Object> attachment = new LinkedHashMap<>();
        attachment.put(
                "fallback",
                style == Style.SLACK
                        ? event.objectName() + ": " + event.message().split("\n", 2)[0]
                        : "");
        attachment.put("color", color(event));
        attachment.put("author_name", event.objectName());
        attachment.put("text", event.message());
        attachment.put("mrkdwn_in", List.of("text"));
        List<Map<String, Object>> fields = new ArrayList<>();
        if (event.metadata() != null) {
            event.metadata()
                    .forEach(
                            (k, v) -> {
                                Map<String, Object> field = new LinkedHashMap<>();
                                field.put("title", k);
                                field.put("value", v);
                                field.put("short", false);
                                fields.add(field);
                            });
        }
        attachment.put("fields", fields);
        payload.put("attachments", List.of(attachment));

        Map<String, String> headers = new LinkedHashMap<>();
        if (token != null && !token.isEmpty()) {
            headers.put("Authorization", "Bearer " + token);
        }
        Delivery.Response response = delivery.postJson(address, headers, Payloads.json(payload));
        if (POST_MESSAGE.equals(address.toString())) {
            checkApiAnswer(response.body());
        }
    }

    private String color(FluxEvent event) {
        if (style == Style.ROCKET) {
            return event.isError() ? "#FF0000" : "#0076D7";
        }
        return event.isError() ? "danger" : "good";
    }

    private static void checkApiAnswer(String body) throws NotificationException {
        try {
            JsonNode answer = Payloads.JSON.readTree(body);
            if (!answer.path("ok").asBoolean(false)) {
                throw new NotificationException(
                        "Slack responded with error: " + answer.path("error").asText());
            }
        } catch (IOException e) {
            throw new NotificationException("unable to read Slack's answer: " + e.getMessage(), e);
        }
    }
}
