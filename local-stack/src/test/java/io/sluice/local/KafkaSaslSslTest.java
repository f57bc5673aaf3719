package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kafka as a managed or Strimzi cluster serves it: the broker's SASL_SSL listener (TLS with a
 * certificate of its own CA, SCRAM-SHA-512 logins) is the only address the services are given, with
 * the security protocol and mechanism as the chart's settings and the CA and login as files laid
 * out as the chart's Secret sluice-kafka. A PLAINTEXT client cannot talk to that listener, so a
 * repository reconciling to Ready means all four services logged in over TLS.
 */
@ExtendWith(LocalStackExtension.class)
class KafkaSaslSslTest {
    private static final String NS = "kafka-sasl-ssl-test";
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @Test
    void theServicesTalkToKafkaOverTlsWithAScramLogin() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        KafkaBroker kafka = stack.kafka();
        String url = OneConfigMapRepository.push(stack, NS, "over-tls");
        stack.runServicesAsProcesses(
                Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS",
                        kafka.saslSslBootstrapServers(),
                        "KAFKA_SECURITY_PROTOCOL",
                        "SASL_SSL",
                        "KAFKA_SASL_MECHANISM",
                        "SCRAM-SHA-512",
                        "SLUICE_KAFKA_DIR",
                        kafka.clientCredentials().toString()));
        try {
            Manifests.apply(client, Manifests.namespace(NS));
            Manifests.apply(client, Manifests.gitRepository(NS, NS, url, "10m"));
            Manifests.apply(client, Manifests.kustomizationInto(NS, "app", NS, "./app"));

            await().atMost(DEADLINE).until(() -> FluxReady.isReady(client, NS, "app"));
            ConfigMap settings = client.configMaps().inNamespace(NS).withName("settings").get();
            assertThat(settings.getData()).containsEntry("greeting", "over-tls");
        } finally {
            stack.runServicesAsProcesses();
        }
    }
}
