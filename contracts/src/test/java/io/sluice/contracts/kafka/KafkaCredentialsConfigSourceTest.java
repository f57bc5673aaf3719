package io.sluice.contracts.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaCredentialsConfigSourceTest {
    @TempDir Path root;

    @Test
    void withoutTheSecretsNothingIsSet() {
        assertThat(KafkaCredentialsConfigSource.read(root.resolve("absent"), "")).isEmpty();
        assertThat(KafkaCredentialsConfigSource.read(root, "SCRAM-SHA-512")).isEmpty();
    }

    @Test
    void theSharedCaIsTrustedAndItsScramLoginIsWrittenAsJaasWithItsQuotesEscaped()
            throws Exception {
        write("kafka/ca.crt", "-----BEGIN CERTIFICATE-----\n");
        write("kafka/username", "sluice\n");
        write("kafka/password", "p\"a\\ss");

        var kafka = new KafkaCredentialsConfigSource(root, "SCRAM-SHA-512");

        assertThat(kafka.getValue("kafka.ssl.truststore.type")).isEqualTo("PEM");
        assertThat(kafka.getValue("kafka.ssl.truststore.location"))
                .isEqualTo(root.resolve("kafka/ca.crt").toString());
        assertThat(kafka.getValue("kafka.sasl.jaas.config"))
                .isEqualTo(
                        "org.apache.kafka.common.security.scram.ScramLoginModule required"
                                + " username=\"sluice\" password=\"p\\\"a\\\\ss\";");
        assertThat(kafka.getPropertyNames()).doesNotContain("kafka.ssl.keystore.type");
    }

    @Test
    void aPasswordWithDollarsReachesTheConfigAsWritten() throws Exception {
        write("kafka/username", "sluice");
        write("kafka/password", "p${x}$$w");

        var config =
                new io.smallrye.config.SmallRyeConfigBuilder()
                        .addDefaultInterceptors() // as Quarkus: ${...} expanded
                        .withSources(new KafkaCredentialsConfigSource(root, "SCRAM-SHA-512"))
                        .build();

        assertThat(config.getValue("kafka.sasl.jaas.config", String.class))
                .endsWith(" password=\"p${x}$$w\";");
    }

    @Test
    void plainHasItsOwnLoginModule() throws Exception {
        write("kafka/username", "u");
        write("kafka/password", "p");
        assertThat(KafkaCredentialsConfigSource.read(root, "plain").get("kafka.sasl.jaas.config"))
                .startsWith("org.apache.kafka.common.security.plain.PlainLoginModule required");
    }

    @Test
    void theServicesOwnStrimziUserWinsAndTheClusterCaIsTrustedNotTheClientsCa() throws Exception {
        write("kafka/username", "shared");
        write("kafka/password", "shared");
        write("kafka-ca/ca.crt", "cluster CA");
        write("kafka-user/ca.crt", "clients CA");
        write(
                "kafka-user/sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"render-service-kafka\" password=\"b\";\n");

        var kafka = KafkaCredentialsConfigSource.read(root, "SCRAM-SHA-512");

        assertThat(kafka.get("kafka.sasl.jaas.config"))
                .isEqualTo(
                        "org.apache.kafka.common.security.scram.ScramLoginModule required"
                                + " username=\"render-service-kafka\" password=\"b\";");
        assertThat(kafka.get("kafka.ssl.truststore.location"))
                .isEqualTo(root.resolve("kafka-ca/ca.crt").toString());
    }

    @Test
    void aClientCertificateAndKeyAreGivenInline() throws Exception {
        write("kafka/user.crt", "CERT");
        write("kafka/user.key", "KEY");

        var kafka = KafkaCredentialsConfigSource.read(root, "");

        assertThat(kafka)
                .containsEntry("kafka.ssl.keystore.type", "PEM")
                .containsEntry("kafka.ssl.keystore.certificate.chain", "CERT")
                .containsEntry("kafka.ssl.keystore.key", "KEY")
                .doesNotContainKey("kafka.sasl.jaas.config");
    }

    private void write(String file, String text) throws IOException {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }
}
