package io.sluice.cli.check;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.sluice.cli.Endpoints;
import io.sluice.cli.Target;
import io.sluice.cli.Version;
import io.sluice.contracts.events.Topics;
import io.sluice.contracts.meta.FluxResources;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code flux check} for Sluice: the cluster answers, the four services are ready, the broker holds
 * Sluice's topics, and Flux's CRDs are there at the versions Sluice reads. Exits 1 when a check
 * fails.
 */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = "Check that the Sluice install is healthy.")
public final class CheckCommand implements Callable<Integer> {
    private static final List<String> TOPICS =
            List.of(
                    Topics.ARTIFACTS,
                    Topics.RENDERED,
                    Topics.APPLIED,
                    Topics.VERDICTS,
                    Topics.ALERTS,
                    Topics.DRIFT);

    @Mixin Target target;
    @Mixin Endpoints endpoints;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    private PrintWriter out;
    private boolean failed;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        out.println("► checking prerequisites");
        pass("sluice CLI " + Version.current());
        try (KubernetesClient client = target.client()) {
            boolean cluster = kubernetes(client);
            out.println("► checking services");
            services();
            out.println("► checking the broker");
            broker();
            if (cluster) {
                out.println("► checking crds");
                crds(client);
            }
        }
        if (failed) {
            out.println("✗ some checks failed");
        } else {
            out.println("✔ all checks passed");
        }
        out.flush();
        return failed ? 1 : 0;
    }

    private boolean kubernetes(KubernetesClient client) {
        try {
            var version = client.getKubernetesVersion();
            pass("Kubernetes " + version.getGitVersion() + " (" + client.getMasterUrl() + ")");
            return true;
        } catch (KubernetesClientException e) {
            fail("Kubernetes: " + e.getMessage());
            return false;
        }
    }

    private void services() {
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("source-service", endpoints.source);
        urls.put("render-service", endpoints.render);
        urls.put("apply-service", endpoints.apply);
        urls.put("health-service", endpoints.health);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        urls.forEach(
                (service, url) -> {
                    try {
                        HttpResponse<String> ready =
                                http.send(
                                        HttpRequest.newBuilder(URI.create(url + "/q/health/ready"))
                                                .timeout(Duration.ofSeconds(10))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString());
                        if (ready.statusCode() == 200) {
                            pass(service + ": ready (" + url + ")");
                        } else {
                            fail(
                                    service
                                            + ": not ready ("
                                            + url
                                            + " answered "
                                            + ready.statusCode()
                                            + ": "
                                            + ready.body().strip()
                                            + ")");
                        }
                    } catch (IOException | IllegalArgumentException e) {
                        fail(service + ": not reachable at " + url + " (" + e + ")");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
    }

    private void broker() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafka);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        try (AdminClient admin = AdminClient.create(properties)) {
            int brokers = admin.describeCluster().nodes().get(15, TimeUnit.SECONDS).size();
            pass("Kafka: " + brokers + " broker(s) at " + endpoints.kafka);
            Set<String> topics = admin.listTopics().names().get(15, TimeUnit.SECONDS);
            for (String topic : TOPICS) {
                if (topics.contains(topic)) {
                    pass("topic " + topic);
                } else {
                    out.println(
                            "• topic " + topic + ": not created yet (its first event creates it)");
                }
            }
        } catch (Exception e) {
            fail("Kafka at " + endpoints.kafka + ": " + e.getMessage());
        }
    }

    private void crds(KubernetesClient client) {
        for (Class<? extends CustomResource<?, ?>> kind : FluxResources.SERVED) {
            String name = CustomResource.getCRDName(kind);
            String version = io.fabric8.kubernetes.api.model.HasMetadata.getVersion(kind);
            CustomResourceDefinition crd =
                    client.apiextensions().v1().customResourceDefinitions().withName(name).get();
            if (crd == null) {
                fail(name + ": not installed (deploy/crds/fetch has Flux's own)");
                continue;
            }
            boolean served =
                    crd.getSpec().getVersions().stream()
                            .filter(CustomResourceDefinitionVersion::getServed)
                            .anyMatch(v -> v.getName().equals(version));
            boolean established =
                    crd.getStatus() != null
                            && crd.getStatus().getConditions().stream()
                                    .anyMatch(
                                            c ->
                                                    "Established".equals(c.getType())
                                                            && "True".equals(c.getStatus()));
            if (served && established) {
                pass(name + "/" + version);
            } else {
                fail(name + ": " + version + (served ? " not established" : " not served"));
            }
        }
    }

    private void pass(String what) {
        out.println("✔ " + what);
    }

    private void fail(String what) {
        failed = true;
        out.println("✗ " + what);
    }
}
