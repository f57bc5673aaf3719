package io.sluice.health.notify.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.health.notify.NotificationException;
import io.sluice.health.notify.Redaction;
import java.net.URI;
import java.net.URISyntaxException;

/** What the notifiers share: JSON bodies and endpoint addresses checked as Flux checks them. */
final class Payloads {
    static final ObjectMapper JSON = new ObjectMapper();

    private Payloads() {}

    static byte[] json(Object payload) throws NotificationException {
        try {
            return JSON.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new NotificationException("failed to marshal the payload: " + e.getMessage(), e);
        }
    }

    /** An absolute http(s) URL, else Flux's {@code invalid ... URL} error. */
    static URI address(String what, String address) throws NotificationException {
        if (address == null || address.isBlank()) {
            throw new NotificationException(what + " URL cannot be empty");
        }
        try {
            URI uri = new URI(address.trim());
            if (!uri.isAbsolute()
                    || uri.getHost() == null
                    || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new NotificationException("invalid " + what + " URL " + Redaction.url(uri));
            }
            return uri;
        } catch (URISyntaxException e) {
            // not the address itself: it may hold a password
            throw new NotificationException("invalid " + what + " URL: " + e.getReason());
        }
    }
}
