package io.sluice.health.notify;

import java.io.ByteArrayOutputStream;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    private static final int BODY_LIMIT = 64 * 1024;

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
        String shown = method + " " + Redaction.url(uri);
        String lastProblem = "timeout reached before the first attempt";
        int attempts = retry ? ATTEMPTS : 1;
        int made = 0;
        while (made < attempts) {
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) {
                break;
            }
            HttpRequest request = request(method, uri, headers, body, left);
            made++;
            Duration wait = backoff(made - 1);
            CompletableFuture<HttpResponse<String>> sending =
                    client.sendAsync(request, Delivery::boundedBody);
            try {
                // the whole exchange, body included, within the Provider's timeout
                HttpResponse<String> response = sending.get(left.toMillis(), TimeUnit.MILLISECONDS);
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
            } catch (TimeoutException e) {
                sending.cancel(true);
                lastProblem = "no answer within the timeout";
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof SSLHandshakeException) {
                    throw new NotificationException(shown + ": " + cause.getMessage(), cause);
                }
                lastProblem = describe(cause);
            } catch (InterruptedException e) {
                sending.cancel(true);
                Thread.currentThread().interrupt();
                throw new NotificationException(shown + ": interrupted", e);
            }
            if (made < attempts) {
                if (Instant.now().plus(wait).isAfter(deadline)) {
                    lastProblem += " (timeout reached)";
                    break;
                }
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new NotificationException(shown + ": interrupted", e);
                }
            }
        }
        throw new NotificationException(
                shown + " giving up after " + made + " attempt(s): " + lastProblem);
    }

    private static HttpRequest request(
            String method, URI uri, Map<String, String> headers, byte[] body, Duration left)
            throws NotificationException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(left);
        if (body == null) {
            request.GET();
        } else {
            // first, so that a Content-Type among the Secret's headers wins, as in Flux
            request.setHeader("Content-Type", "application/json");
            request.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        }
        try {
            headers.forEach(request::setHeader);
        } catch (IllegalArgumentException e) {
            throw new NotificationException("invalid header in the Provider's settings");
        }
        return request.build();
    }

    /** The answer's first 64 KiB as text (an error page quoted in a message needs no more). */
    private static HttpResponse.BodySubscriber<String> boundedBody(HttpResponse.ResponseInfo info) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        return HttpResponse.BodySubscribers.mapping(
                HttpResponse.BodySubscribers.ofByteArrayConsumer(
                        chunk ->
                                chunk.ifPresent(
                                        bytes ->
                                                kept.write(
                                                        bytes,
                                                        0,
                                                        Math.max(
                                                                0,
                                                                Math.min(
                                                                        bytes.length,
                                                                        BODY_LIMIT
                                                                                - kept.size()))))),
                done -> kept.toString(StandardCharsets.UTF_8));
    }

    /** The JDK's connection errors often carry their words only in the cause. */
    private static String describe(Throwable e) {
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
                                        Duration.ofSeconds(
                                                Math.max(0, Long.parseLong(value.trim()))));
                            } catch (NumberFormatException e) {
                                try {
                                    Duration until =
                                            Duration.between(
                                                    Instant.now(),
                                                    ZonedDateTime.parse(
                                                                    value,
                                                                    DateTimeFormatter
                                                                            .RFC_1123_DATE_TIME)
                                                            .toInstant());
                                    // a date already past: at once
                                    return java.util.Optional.of(
                                            until.isNegative() ? Duration.ZERO : until);
                                } catch (DateTimeParseException unreadable) {
                                    return java.util.Optional.empty();
                                }
                            }
                        });
    }
}
