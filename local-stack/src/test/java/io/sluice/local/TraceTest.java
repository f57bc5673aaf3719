package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One trace per change, read back through Jaeger's HTTP query API as a user would find it: the
 * fetch of the GitRepository, then the render, apply and health of its Kustomization, in the four
 * services, each span naming the object and the revision, and each stage a descendant of the one
 * before through the Kafka hops.
 */
@ExtendWith(LocalStackExtension.class)
class TraceTest {
    private static final String NS = "traced";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aPushIsOneTraceFromFetchToReadyAcrossTheFourServices() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        Manifests.apply(client, Manifests.namespace(NS));
        String sha = SettingsRepository.deploy(stack, NS, "{a: \"1\"}");
        String revision = "main@sha1:" + sha;
        String source = "GitRepository/" + NS + "/app";
        String owner = "Kustomization/" + NS + "/app";

        JsonNode trace =
                await().atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(
                                () -> fetchTrace(stack.jaeger().url(), source, revision),
                                // every stage's span exported (each service sends its own batches)
                                t ->
                                        t != null
                                                && span(t, "render", owner) != null
                                                && span(t, "apply", owner) != null
                                                && span(t, "health", owner) != null);

        JsonNode fetch = span(trace, "fetch", source);
        JsonNode render = span(trace, "render", owner);
        JsonNode apply = span(trace, "apply", owner);
        JsonNode health = span(trace, "health", owner);
        assertThat(List.of(fetch, render, apply, health)).doesNotContainNull();
        assertThat(service(trace, fetch)).isEqualTo("source-service");
        assertThat(service(trace, render)).isEqualTo("render-service");
        assertThat(service(trace, apply)).isEqualTo("apply-service");
        assertThat(service(trace, health)).isEqualTo("health-service");
        for (JsonNode stage : List.of(fetch, render, apply, health)) {
            assertThat(tag(stage, "sluice.revision")).isEqualTo(revision);
        }
        assertThat(descends(trace, render, fetch)).as("render under fetch").isTrue();
        assertThat(descends(trace, apply, render)).as("apply under render").isTrue();
        assertThat(descends(trace, health, apply)).as("health under apply").isTrue();
    }

    /** The trace whose fetch span is of {@code source} at {@code revision}, if Jaeger has it. */
    private static JsonNode fetchTrace(String jaeger, String source, String revision)
            throws Exception {
        String tags =
                JSON.writeValueAsString(
                        Map.of("sluice.object", source, "sluice.revision", revision));
        URI query =
                URI.create(
                        jaeger
                                + "/api/traces?service=source-service&operation=fetch&lookback=1h&limit=5&tags="
                                + URLEncoder.encode(tags, StandardCharsets.UTF_8));
        HttpResponse<String> response =
                HTTP.send(
                        HttpRequest.newBuilder(query).build(),
                        HttpResponse.BodyHandlers.ofString());
        JsonNode data = JSON.readTree(response.body()).path("data");
        return data.isArray() && data.size() > 0 ? data.get(0) : null;
    }

    private static JsonNode span(JsonNode trace, String operation, String object) {
        return StreamSupport.stream(trace.path("spans").spliterator(), false)
                .filter(s -> operation.equals(s.path("operationName").asText()))
                .filter(s -> object.equals(tag(s, "sluice.object")))
                .findFirst()
                .orElse(null);
    }

    private static String tag(JsonNode span, String key) {
        for (JsonNode tag : span.path("tags")) {
            if (key.equals(tag.path("key").asText())) {
                return tag.path("value").asText();
            }
        }
        return null;
    }

    private static String service(JsonNode trace, JsonNode span) {
        return trace.path("processes")
                .path(span.path("processID").asText())
                .path("serviceName")
                .asText();
    }

    private static boolean descends(JsonNode trace, JsonNode span, JsonNode ancestor) {
        Map<String, String> parents = new HashMap<>();
        for (JsonNode s : trace.path("spans")) {
            for (JsonNode reference : s.path("references")) {
                if ("CHILD_OF".equals(reference.path("refType").asText())) {
                    parents.put(s.path("spanID").asText(), reference.path("spanID").asText());
                }
            }
        }
        String id = parents.get(span.path("spanID").asText());
        while (id != null) {
            if (id.equals(ancestor.path("spanID").asText())) {
                return true;
            }
            id = parents.get(id);
        }
        return false;
    }
}
