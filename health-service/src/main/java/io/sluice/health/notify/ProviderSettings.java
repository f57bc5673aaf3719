package io.sluice.health.notify;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * A Provider with its Secrets read: where to send, as whom, through which client.
 *
 * @param token the Secret's {@code token}, untrimmed as in Flux; null when absent
 * @param username the Secret's {@code username} when it has a password too, else {@code
 *     spec.username}
 * @param password the Secret's {@code password}, when it has a username too
 * @param secrets every value read from the Provider's Secrets, hidden in any text shown
 */
public record ProviderSettings(
        String type,
        String address,
        String channel,
        String username,
        String token,
        String password,
        Map<String, String> headers,
        Duration timeout,
        HttpClient http,
        Set<String> secrets) {

    /**
     * A text an operator will read (an error from the endpoint, say) with no Secret value in it.
     */
    public String masked(String text) {
        return Redaction.mask(text, secrets);
    }

    @Override
    public String toString() {
        return "ProviderSettings[type=" + type + ", timeout=" + timeout + "]";
    }
}
