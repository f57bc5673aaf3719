package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A service whose RBAC lacks a permission its chart grants says so in its readiness, naming the
 * verb and resource; given back, the service is ready again. The services run as their chart's
 * ServiceAccounts, so the ClusterRole edited here is the one they act with.
 */
@ExtendWith(LocalStackExtension.class)
class PermissionsReadinessTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aMissingVerbIsNamedInTheServicesReadiness() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        String ready = stack.service("source-service").url() + "/q/health/ready";
        ClusterRole granted = client.rbac().clusterRoles().withName("source-service").get();
        assertThat(granted).isNotNull();
        ClusterRole withoutChartWrites = new ClusterRoleBuilder(granted).build();
        withoutChartWrites
                .getRules()
                .removeIf(
                        r ->
                                r.getResources().contains("helmcharts")
                                        && r.getVerbs().contains("create"));
        assertThat(withoutChartWrites.getRules()).hasSizeLessThan(granted.getRules().size());
        client.resource(withoutChartWrites).update();
        try {
            await().atMost(DEADLINE)
                    .untilAsserted(
                            () -> {
                                HttpResponse<String> answer = get(ready);
                                assertThat(answer.statusCode()).isEqualTo(503);
                                assertThat(answer.body())
                                        .contains("create helmcharts.source.toolkit.fluxcd.io")
                                        .contains("delete helmcharts.source.toolkit.fluxcd.io");
                            });
        } finally {
            ClusterRole restored =
                    new ClusterRoleBuilder(granted)
                            .editMetadata()
                            .withResourceVersion(
                                    client.rbac()
                                            .clusterRoles()
                                            .withName("source-service")
                                            .get()
                                            .getMetadata()
                                            .getResourceVersion())
                            .endMetadata()
                            .build();
            client.resource(restored).update();
        }
        await().atMost(DEADLINE).until(() -> get(ready).statusCode() == 200);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
