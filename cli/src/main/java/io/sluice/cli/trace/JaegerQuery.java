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
import java.time.Instant;
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
                        + "&start="
                        + micros(Instant.now().minus(lookback))
                        + "&end="
                        + micros(Instant.now())
                        + "&limit=50&tags="
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
        // the latest by the object's own stage (a trace may have begun earlier, with a long fetch)
        JsonNode latest = null;
        long latestStage = Long.MIN_VALUE;
        for (JsonNode trace : JSON.readTree(response.body()).path("data")) {
            long stage = stageStart(trace, source ? "fetch" : "render", object.key());
            if (stage > latestStage) {
                latest = trace;
                latestStage = stage;
            }
        }
        return Optional.ofNullable(latest);
    }

    /** Jaeger's API takes its window in microseconds ({@code lookback} is the UI's, ignored). */
    private static long micros(Instant at) {
        return at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000;
    }

    String link(String traceId) {
        return url + "/trace/" + traceId;
    }

    private static long stageStart(JsonNode trace, String operation, String object) {
        long start = Long.MIN_VALUE;
        for (JsonNode span : trace.path("spans")) {
            if (!operation.equals(span.path("operationName").asText())) {
                continue;
            }
            for (JsonNode tag : span.path("tags")) {
                if ("sluice.object".equals(tag.path("key").asText())
                        && object.equals(tag.path("value").asText())) {
                    start = Math.max(start, span.path("startTime").asLong());
                }
            }
        }
        return start;
    }

    static long start(JsonNode trace) {
        long start = Long.MAX_VALUE;
        for (JsonNode span : trace.path("spans")) {
            start = Math.min(start, span.path("startTime").asLong());
        }
        return start;
    }
}
