package io.sluice.health.notify;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;

/**
 * A Provider with its Secrets read: where to send, as whom, through which client.
 *
 * @param token the Secret's {@code token}, untrimmed as in Flux; null when absent
 * @param username the Secret's {@code username} when it has a password too, else {@code
 *     spec.username}
 * @param password the Secret's {@code password}, when it has a username too
 */
public record ProviderSettings(
        String name,
        String uid,
        String type,
        String address,
        String channel,
        String username,
        String token,
        String password,
        Map<String, String> headers,
        Duration timeout,
        HttpClient http) {

    /** The token hidden in a text an operator will read (an error from the endpoint, say). */
    public String masked(String text) {
        if (text == null || token == null || token.isBlank()) {
            return text;
        }
        return text.replace(token.trim(), "*****");
    }
}
