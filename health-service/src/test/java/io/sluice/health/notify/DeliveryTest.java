package io.sluice.health.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Retries as notification-controller's client: counted waits, no real sleeping. */
class DeliveryTest {
    private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);
    private final List<Duration> waits = new ArrayList<>();

    private Delivery delivery(Duration timeout) {
        return new Delivery(HttpClient.newHttpClient(), timeout, waits::add);
    }

    @Test
    void aServerErrorIsRetriedWithDoublingWaitsUntilItAnswers() throws Exception {
        try (RecordingServer server = new RecordingServer()) {
            server.reply(500, "down").reply(502, "down").reply(200, "ok");
            Delivery.Response response =
                    delivery(Duration.ofMinutes(1))
                            .postJson(URI.create(server.url("/hook")), Map.of(), BODY);
            assertThat(response.status()).isEqualTo(200);
            assertThat(server.requests()).hasSize(3);
            assertThat(waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4));
        }
    }

    @Test
    void fiveAttemptsAtMostThenTheErrorSaysSo() throws Exception {
        try (RecordingServer server = new RecordingServer()) {
            for (int i = 0; i < 6; i++) {
                server.reply(500, "down");
            }
            assertThatThrownBy(
                            () ->
                                    delivery(Duration.ofMinutes(1))
                                            .postJson(
                                                    URI.create(server.url("/hook")),
                                                    Map.of(),
                                                    BODY))
                    .isInstanceOf(NotificationException.class)
                    .hasMessageContaining(
                            "giving up after 5 attempt(s): unexpected HTTP status 500");
            assertThat(server.requests()).hasSize(5);
            assertThat(waits)
                    .containsExactly(
                            Duration.ofSeconds(2),
                            Duration.ofSeconds(4),
                            Duration.ofSeconds(8),
                            Duration.ofSeconds(16));
        }
    }

    @Test
    void aClientErrorAndNotImplementedAreNotRetried() throws Exception {
        try (RecordingServer server = new RecordingServer()) {
            server.reply(400, "bad payload").reply(501, "no");
            URI hook = URI.create(server.url("/hook"));
            assertThatThrownBy(() -> delivery(Duration.ofMinutes(1)).postJson(hook, Map.of(), BODY))
                    .hasMessage("request failed with status code 400: bad payload");
            assertThatThrownBy(() -> delivery(Duration.ofMinutes(1)).postJson(hook, Map.of(), BODY))
                    .hasMessageStartingWith("request failed with status code 501");
            assertThat(server.requests()).hasSize(2);
            assertThat(waits).isEmpty();
        }
    }

    @Test
    void tooManyRequestsIsRetried() throws Exception {
        try (RecordingServer server = new RecordingServer()) {
            server.reply(429, "slow down").reply(200, "ok");
            delivery(Duration.ofMinutes(1))
                    .postJson(URI.create(server.url("/hook")), Map.of(), BODY);
            assertThat(server.requests()).hasSize(2);
            assertThat(waits).containsExactly(Duration.ofSeconds(2));
        }
    }

    @Test
    void aRedirectIsNotFollowedSoNoCredentialReachesAnotherHost() throws Exception {
        try (RecordingServer server = new RecordingServer();
                RecordingServer elsewhere = new RecordingServer()) {
            server.reply(307, "", Map.of("Location", elsewhere.url("/stolen")));
            URI hook = URI.create(server.url("/hook"));
            assertThatThrownBy(
                            () ->
                                    delivery(Duration.ofMinutes(1))
                                            .postJson(
                                                    hook,
                                                    Map.of("Authorization", "Bearer t0ken"),
                                                    BODY))
                    .hasMessageStartingWith("request failed with status code 307");
            assertThat(elsewhere.requests()).isEmpty();
        }
    }

    @Test
    void retryAfterIsWaitedAndOneInThePastMeansAtOnce() throws Exception {
        try (RecordingServer server = new RecordingServer()) {
            server.reply(429, "slow", Map.of("Retry-After", "7"))
                    .reply(503, "busy", Map.of("Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT"))
                    .reply(200, "ok");
            delivery(Duration.ofMinutes(1))
                    .postJson(URI.create(server.url("/hook")), Map.of(), BODY);
            assertThat(waits).containsExactly(Duration.ofSeconds(7), Duration.ZERO);
        }
    }

    @Test
    void anEndpointThatStallsAfterItsHeadersIsCutAtTheTimeout() throws Exception {
        try (RecordingServer server = new RecordingServer()) {
            server.stallAfterHeaders();
            URI hook = URI.create(server.url("/hook"));
            assertThatThrownBy(() -> delivery(Duration.ofSeconds(2)).postJson(hook, Map.of(), BODY))
                    .hasMessageContaining("no answer within the timeout");
        }
    }

    @Test
    void anUnreachableEndpointIsRetriedWithinTheTimeoutThenNamed() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        URI hook = URI.create("http://127.0.0.1:" + closed + "/hook");
        assertThatThrownBy(() -> delivery(Duration.ofSeconds(7)).postJson(hook, Map.of(), BODY))
                .isInstanceOf(NotificationException.class)
                .hasMessageContaining("POST " + hook + " giving up after");
        // 2 s, then 4 s fit in 7 s; the 8 s wait would pass the timeout
        assertThat(waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4));
    }
}
