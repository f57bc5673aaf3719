package io.sluice.health.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;

/**
 * Sends one notification's requests as notification-controller's retrying client does: up to five
 * attempts, waiting 2, 4, 8, 16 s between them (a {@code Retry-After} on 429 and 503 wins),
 * retrying a connection error, 429 and every 5xx but 501, all within the Provider's timeout. A 2xx
 * is success; any other answer is an error carrying its status and body.
 */
public final class Delivery {
    static final int ATTEMPTS = 5;
    private static final Duration FIRST_WAIT = Duration.ofSeconds(2);
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(30);

    public record Response(int status, String body) {}

    /** How the waits between attempts pass; a test may count them instead. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final HttpClient client;
    private final Instant deadline;
    private final Sleeper sleeper;

    public Delivery(HttpClient client, Duration timeout) {
        this(client, timeout, d -> Thread.sleep(d.toMillis()));
    }

    Delivery(HttpClient client, Duration timeout, Sleeper sleeper) {
        this.client = client;
        this.deadline = Instant.now().plus(timeout);
        this.sleeper = sleeper;
    }

    /** A JSON POST, retried; the response of the first attempt that is not retried. */
    public Response postJson(URI uri, Map<String, String> headers, byte[] body)
            throws NotificationException {
        return send("POST", uri, headers, body, true);
    }

    /** A GET tried once (go-github and the lookups of commit statuses do not retry). */
    public Response get(URI uri, Map<String, String> headers) throws NotificationException {
        return send("GET", uri, headers, null, false);
    }

    /** A JSON POST tried once. */
    public Response postJsonOnce(URI uri, Map<String, String> headers, byte[] body)
            throws NotificationException {
        return send("POST", uri, headers, body, false);
    }

    private Response send(
            String method, URI uri, Map<String, String> headers, byte[] body, boolean retry)
            throws NotificationException {
        String lastProblem = null;
        int attempts = retry ? ATTEMPTS : 1;
        for (int attempt = 0; attempt < attempts; attempt++) {
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) {
                break;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(left);
            try {
                headers.forEach(request::setHeader);
            } catch (IllegalArgumentException e) {
                throw new NotificationException("invalid header: " + e.getMessage(), e);
            }
            if (body == null) {
                request.GET();
            } else {
                request.setHeader("Content-Type", "application/json");
                request.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
            }
            Duration wait = backoff(attempt);
            try {
                HttpResponse<String> response =
                        client.send(
                                request.build(),
                                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                if (!retryable(status)) {
                    if (status / 100 != 2) {
                        throw new NotificationException(
                                "request failed with status code "
                                        + status
                                        + ": "
                                        + response.body());
                    }
                    return new Response(status, response.body());
                }
                lastProblem = "unexpected HTTP status " + status;
                wait = retryAfter(response, status).orElse(wait);
            } catch (SSLHandshakeException e) {
                throw new NotificationException(method + " " + uri + ": " + e.getMessage(), e);
            } catch (IOException e) {
                lastProblem = describe(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NotificationException(method + " " + uri + ": interrupted", e);
            }
            if (attempt + 1 < attempts) {
                if (Instant.now().plus(wait).isAfter(deadline)) {
                    return fail(method, uri, attempt + 1, lastProblem + " (timeout reached)");
                }
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new NotificationException(method + " " + uri + ": interrupted", e);
                }
            } else {
                return fail(method, uri, attempt + 1, lastProblem);
            }
        }
        return fail(method, uri, 0, "timeout reached before the first attempt");
    }

    private static Response fail(String method, URI uri, int attempts, String problem)
            throws NotificationException {
        throw new NotificationException(
                method + " " + uri + " giving up after " + attempts + " attempt(s): " + problem);
    }

    /** The JDK's connection errors often carry their words only in the cause. */
    private static String describe(IOException e) {
        String what = e.getClass().getSimpleName();
        if (e.getMessage() != null) {
            return what + ": " + e.getMessage();
        }
        return e.getCause() != null && e.getCause().getMessage() != null
                ? what + ": " + e.getCause().getMessage()
                : what;
    }

    private static boolean retryable(int status) {
        return status == 429 || (status >= 500 && status != 501) || status == 0;
    }

    static Duration backoff(int attempt) {
        Duration wait = FIRST_WAIT.multipliedBy(1L << attempt);
        return wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait;
    }

    private static java.util.Optional<Duration> retryAfter(
            HttpResponse<String> response, int status) {
        if (status != 429 && status != 503) {
            return java.util.Optional.empty();
        }
        return response.headers()
                .firstValue("Retry-After")
                .flatMap(
                        value -> {
                            try {
                                return java.util.Optional.of(
                                        Duration.ofSeconds(Long.parseLong(value.trim())));
                            } catch (NumberFormatException e) {
                                try {
                                    return java.util.Optional.of(
                                            Duration.between(
                                                    Instant.now(),
                                                    ZonedDateTime.parse(
                                                                    value,
                                                                    DateTimeFormatter
                                                                            .RFC_1123_DATE_TIME)
                                                            .toInstant()));
                                } catch (DateTimeParseException unreadable) {
                                    return java.util.Optional.empty();
                                }
                            }
                        });
    }
}
