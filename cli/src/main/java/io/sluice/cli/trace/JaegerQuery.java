package io.sluice.cli.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.contracts.events.ObjectRef;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Jaeger's HTTP query API: the latest trace in which an object has a stage span (a source's {@code
 * fetch} in source-service, a Kustomization's or HelmRelease's {@code render} in render-service).
 */
final class JaegerQuery {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SOURCES =
            Set.of("GitRepository", "OCIRepository", "HelmRepository", "HelmChart");
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String url;

    JaegerQuery(String url) {
        this.url = url.replaceAll("/+$", "");
    }

    Optional<JsonNode> latest(ObjectRef object, Duration lookback)
            throws IOException, InterruptedException {
        boolean source = SOURCES.contains(object.kind());
        String query =
                "/api/traces?service="
                        + (source ? "source-service" : "render-service")
                        + "&operation="
                        + (source ? "fetch" : "render")
                        + "&lookback="
                        + lookback.toHours()
                        + "h&limit=50&tags="
                        + URLEncoder.encode(
                                JSON.writeValueAsString(Map.of("sluice.object", object.key())),
                                StandardCharsets.UTF_8);
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(url + query))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(
                    "Jaeger answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode latest = null;
        for (JsonNode trace : JSON.readTree(response.body()).path("data")) {
            if (latest == null || start(trace) > start(latest)) {
                latest = trace;
            }
        }
        return Optional.ofNullable(latest);
    }

    String link(String traceId) {
        return url + "/trace/" + traceId;
    }

    static long start(JsonNode trace) {
        long start = Long.MAX_VALUE;
        for (JsonNode span : trace.path("spans")) {
            start = Math.min(start, span.path("startTime").asLong());
        }
        return start;
    }
}
