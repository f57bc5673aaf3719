package io.sluice.health.notify.provider;

import io.sluice.health.notify.Delivery;
import io.sluice.health.notify.FluxEvent;
import io.sluice.health.notify.NotificationException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code generic} and {@code generic-hmac}: the event itself as JSON, with {@code Gotk-Component}
 * naming the controller, the Secret's headers, and for {@code generic-hmac} {@code X-Signature:
 * sha256=<hex HMAC of the body keyed by the token>}.
 */
final class Forwarder implements Notifier {
    private final URI address;
    private final Map<String, String> headers;
    private final String hmacKey;

    Forwarder(String address, Map<String, String> headers, String hmacKey)
            throws NotificationException {
        this.address = Payloads.address("hook", address);
        this.headers = headers;
        this.hmacKey = hmacKey;
    }

    static Forwarder signed(String address, Map<String, String> headers, String token)
            throws NotificationException {
        if (token == null || token.isEmpty()) {
            throw new NotificationException("HMAC key is empty");
        }
        return new Forwarder(address, headers, token);
    }

    @Override
    public void post(FluxEvent event, Delivery delivery) throws NotificationException {
        byte[] body = Payloads.json(event);
        Map<String, String> sent = new LinkedHashMap<>();
        sent.put("Gotk-Component", event.reportingController());
        sent.putAll(headers);
        if (hmacKey != null) {
            sent.put("X-Signature", "sha256=" + hmac(body));
        }
        delivery.postJson(address, sent, body);
    }

    private String hmac(byte[] body) throws NotificationException {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hmacKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new NotificationException("failed to sign the payload: " + e.getMessage(), e);
        }
    }
}
