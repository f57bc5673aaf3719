package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chart's Strimzi KafkaUsers give each service exactly what it needs: their SCRAM users and
 * ACLs are made on the local broker's SASL_SSL listener as Strimzi's User Operator would make them
 * (no Strimzi operator runs here: this translation stands in for it), each service logs in as its
 * own user, and a repository reconciles to Ready. The services talk to the broker's SASL_SSL
 * listener only (TLS with a certificate of its own CA, SCRAM-SHA-512), with the security protocol
 * and mechanism as the chart's settings; three are given their logins as the User Operator writes
 * its Secrets ({@code sasl.jaas.config}), one as the Secret sluice-kafka holds a login ({@code
 * username} and {@code password}, for a Kafka whose users are not Strimzi's). One service's user is
 * then refused a topic that is not its own.
 */
@ExtendWith(LocalStackExtension.class)
class KafkaAclsTest {
    private static final String NS = "kafka-acls-test";
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String AS_SLUICE_KAFKA = "health-service";

    @Test
    void eachServiceWorksAsItsOwnKafkaUserWithTheChartsAclsAndNoMore() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        KafkaBroker kafka = stack.kafka();
        Path root = Files.createTempDirectory(NS);
        Map<String, Map<String, String>> own = new HashMap<>();
        List<String> users = new ArrayList<>();
        List<AclBinding> granted = new ArrayList<>();
        try (Admin admin =
                Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
            for (GenericKubernetesResource user : chartsKafkaUsers(stack)) {
                String name = user.getMetadata().getName();
                String service = name.substring(0, name.length() - "-kafka".length());
                String password = UUID.randomUUID().toString();
                admin.alterUserScramCredentials(
                                List.of(
                                        new UserScramCredentialUpsertion(
                                                name,
                                                new ScramCredentialInfo(
                                                        ScramMechanism.SCRAM_SHA_512, 4096),
                                                password)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
                users.add(name);
                granted.addAll(acls(user));
                admin.createAcls(acls(user)).all().get(30, TimeUnit.SECONDS);
                Path dir = root.resolve(service);
                Files.createDirectories(dir.resolve("kafka"));
                if (service.equals(AS_SLUICE_KAFKA)) {
                    Files.writeString(dir.resolve("kafka/username"), name);
                    Files.writeString(dir.resolve("kafka/password"), password);
                } else {
                    Files.createDirectories(dir.resolve("kafka-user"));
                    Files.writeString(
                            dir.resolve("kafka-user/sasl.jaas.config"), jaas(name, password));
                }
                Files.copy(
                        kafka.clientCredentials().resolve("kafka/ca.crt"),
                        dir.resolve("kafka/ca.crt"));
                own.put(service, Map.of("SLUICE_KAFKA_DIR", dir.toString()));
            }
        }
        try {
            assertThat(own).containsOnlyKeys(LocalStack.SERVICES);
            servicesWorkAsTheirOwnUsers(stack, own);
            renderServiceIsRefusedAnotherServicesTopic(kafka, root);
        } finally {
            // the broker is shared: its other clients must not see these users
            try (Admin admin =
                    Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
                admin.deleteAcls(granted.stream().map(AclBinding::toFilter).toList())
                        .all()
                        .get(30, TimeUnit.SECONDS);
                admin.alterUserScramCredentials(
                                users.stream()
                                        .map(
                                                u ->
                                                        (UserScramCredentialAlteration)
                                                                new UserScramCredentialDeletion(
                                                                        u,
                                                                        ScramMechanism
                                                                                .SCRAM_SHA_512))
                                        .toList())
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static void servicesWorkAsTheirOwnUsers(
            LocalStack stack, Map<String, Map<String, String>> own) throws Exception {
        KubernetesClient client = stack.client();
        KafkaBroker kafka = stack.kafka();

        String url = OneConfigMapRepository.push(stack, NS, "by-acl");
        stack.runServicesAsProcesses(
                Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS", kafka.saslSslBootstrapServers(),
                        "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                        "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                        // as the chart sets it with Strimzi: topics are the Topic Operator's
                        "SLUICE_TOPICS_DECLARE", "false"),
                own);
        try {
            Manifests.apply(client, Manifests.namespace(NS));
            Manifests.apply(client, Manifests.gitRepository(NS, NS, url, "10m"));
            Manifests.apply(client, Manifests.kustomizationInto(NS, "app", NS, "./app"));
            await().atMost(DEADLINE).until(() -> FluxReady.isReady(client, NS, "app"));
            assertThat(client.configMaps().inNamespace(NS).withName("settings").get().getData())
                    .containsEntry("greeting", "by-acl");
        } finally {
            stack.runServicesAsProcesses();
        }
    }

    /** render-service writes rendered bundles, never what apply-service reports. */
    private static void renderServiceIsRefusedAnotherServicesTopic(KafkaBroker kafka, Path root)
            throws Exception {
        Properties renderService = new Properties();
        renderService.put("bootstrap.servers", kafka.saslSslBootstrapServers());
        renderService.put("security.protocol", "SASL_SSL");
        renderService.put("sasl.mechanism", "SCRAM-SHA-512");
        renderService.put(
                "sasl.jaas.config",
                Files.readString(root.resolve("render-service/kafka-user/sasl.jaas.config")));
        renderService.put("ssl.truststore.type", "PEM");
        renderService.put(
                "ssl.truststore.location", root.resolve("render-service/kafka/ca.crt").toString());
        renderService.put("max.block.ms", "20000");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(
                        renderService, new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(
                            () ->
                                    producer.send(
                                                    new ProducerRecord<>(
                                                            "sluice.applied.v1", "k", "forged"))
                                            .get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    /** The KafkaUsers of the chart rendered with its Strimzi resources on. */
    private static List<GenericKubernetesResource> chartsKafkaUsers(LocalStack stack)
            throws Exception {
        Path repo = stack.repoRoot();
        String chart = Launcher.output(repo.resolve("deploy/helm/assemble"));
        String helm = Launcher.output(repo.resolve("deploy/local/helm/build"));
        String rendered =
                Launcher.output(
                        Path.of(helm),
                        "template",
                        "sluice",
                        chart,
                        "--namespace",
                        NS,
                        "--set",
                        "kafka.strimzi.enabled=true",
                        "--show-only",
                        "templates/strimzi.yaml");
        List<GenericKubernetesResource> users = new ArrayList<>();
        for (HasMetadata object :
                stack.client()
                        .load(new ByteArrayInputStream(rendered.getBytes(StandardCharsets.UTF_8)))
                        .items()) {
            if (object.getKind().equals("KafkaUser")) {
                users.add((GenericKubernetesResource) object);
            }
        }
        return users;
    }

    /** A KafkaUser's {@code spec.authorization.acls}, one binding per operation, as allowed. */
    @SuppressWarnings("unchecked")
    private static List<AclBinding> acls(GenericKubernetesResource user) {
        String principal = "User:" + user.getMetadata().getName();
        Map<String, Object> authorization =
                (Map<String, Object>)
                        ((Map<String, Object>) user.getAdditionalProperties().get("spec"))
                                .get("authorization");
        List<AclBinding> bindings = new ArrayList<>();
        for (Map<String, Object> acl : (List<Map<String, Object>>) authorization.get("acls")) {
            Map<String, Object> resource = (Map<String, Object>) acl.get("resource");
            ResourcePattern pattern =
                    new ResourcePattern(
                            ResourceType.fromString((String) resource.get("type")),
                            (String) resource.get("name"),
                            "prefix".equals(resource.get("patternType"))
                                    ? PatternType.PREFIXED
                                    : PatternType.LITERAL);
            for (String operation : (List<String>) acl.get("operations")) {
                bindings.add(
                        new AclBinding(
                                pattern,
                                new AccessControlEntry(
                                        principal,
                                        "*",
                                        AclOperation.fromString(operation.toUpperCase(Locale.ROOT)),
                                        AclPermissionType.ALLOW)));
            }
        }
        return bindings;
    }

    /** The {@code sasl.jaas.config} of a SCRAM KafkaUser's Secret, as Strimzi writes it. */
    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user
                + "\" password=\""
                + password
                + "\";";
    }
}
