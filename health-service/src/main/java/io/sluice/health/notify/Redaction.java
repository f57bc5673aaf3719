package io.sluice.health.notify;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.Comparator;

/** Keeps Secret values out of what Sluice writes: logs, Kubernetes Events, metrics. */
public final class Redaction {
    private Redaction() {}

    /** {@code text} with each of {@code secrets} (and its trimmed form) written {@code *****}. */
    public static String mask(String text, Collection<String> secrets) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String secret :
                secrets.stream()
                        .sorted(Comparator.comparingInt(String::length).reversed())
                        .toList()) {
            for (String form : new String[] {secret, secret.trim()}) {
                if (form.length() >= 4) {
                    masked = masked.replace(form, "*****");
                }
            }
        }
        return masked;
    }

    /** An address as it may be shown: without user and password. */
    public static String url(Object address) {
        if (address == null) {
            return "";
        }
        try {
            URI uri = new URI(address.toString());
            if (uri.getRawUserInfo() == null) {
                return uri.toString();
            }
            return new URI(
                            uri.getScheme(),
                            null,
                            uri.getHost(),
                            uri.getPort(),
                            uri.getPath(),
                            uri.getQuery(),
                            uri.getFragment())
                    .toString();
        } catch (URISyntaxException e) {
            return "<unparseable URL>";
        }
    }
}
