package io.sluice.contracts.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The Kafka clients' TLS trust, TLS client certificate and SASL login, from the Secrets the chart
 * mounts (each optional) under one directory ({@code SLUICE_KAFKA_DIR}, by default {@code
 * /etc/sluice}):
 *
 * <ul>
 *   <li>{@code kafka/}: the Secret {@code sluice-kafka} that the user creates: {@code ca.crt},
 *       {@code user.crt} and {@code user.key}, {@code username} and {@code password} or a whole
 *       {@code sasl.jaas.config};
 *   <li>{@code kafka-ca/}: Strimzi's cluster CA of the Kafka the chart creates ({@code ca.crt});
 *   <li>{@code kafka-user/}: this service's own KafkaUser Secret, as Strimzi's User Operator writes
 *       it ({@code sasl.jaas.config} for SCRAM; its {@code ca.crt} is the clients' CA, not one to
 *       trust, and is not read).
 * </ul>
 *
 * Each file present becomes the {@code kafka.*} settings it needs, read by every Kafka client of
 * the service (channels, the topics' admin client); the service's own user wins over the shared
 * one. The security protocol and SASL mechanism are plain settings ({@code
 * KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_MECHANISM}, from the chart's values). Below
 * environment variables, so a {@code KAFKA_*} variable set by hand wins.
 */
public class KafkaCredentialsConfigSource implements ConfigSource {
    private final Map<String, String> properties;

    public KafkaCredentialsConfigSource() {
        this(
                Path.of(System.getenv().getOrDefault("SLUICE_KAFKA_DIR", "/etc/sluice")),
                System.getenv().getOrDefault("KAFKA_SASL_MECHANISM", ""));
    }

    KafkaCredentialsConfigSource(Path root, String saslMechanism) {
        this.properties = Map.copyOf(read(root, saslMechanism));
    }

    static Map<String, String> read(Path root, String saslMechanism) {
        Path shared = root.resolve("kafka");
        Path cluster = root.resolve("kafka-ca");
        Path own = root.resolve("kafka-user");
        Map<String, String> kafka = new HashMap<>();
        first(shared.resolve("ca.crt"), cluster.resolve("ca.crt"))
                .ifPresent(
                        ca -> {
                            kafka.put("kafka.ssl.truststore.type", "PEM");
                            kafka.put("kafka.ssl.truststore.location", ca.toString());
                        });
        for (Path dir : new Path[] {own, shared}) {
            Path certificate = dir.resolve("user.crt");
            Path key = dir.resolve("user.key");
            if (Files.isRegularFile(certificate) && Files.isRegularFile(key)) {
                kafka.put("kafka.ssl.keystore.type", "PEM");
                kafka.put("kafka.ssl.keystore.certificate.chain", text(certificate));
                kafka.put("kafka.ssl.keystore.key", text(key));
                break;
            }
        }
        for (Path dir : new Path[] {own, shared}) {
            Optional<String> login = login(dir, saslMechanism);
            if (login.isPresent()) {
                kafka.put("kafka.sasl.jaas.config", login.get());
                break;
            }
        }
        return kafka;
    }

    /** A whole {@code sasl.jaas.config}, else one made of {@code username} and {@code password}. */
    private static Optional<String> login(Path dir, String saslMechanism) {
        Path jaas = dir.resolve("sasl.jaas.config");
        Path username = dir.resolve("username");
        Path password = dir.resolve("password");
        if (Files.isRegularFile(jaas)) {
            return Optional.of(text(jaas).strip());
        }
        if (Files.isRegularFile(username) && Files.isRegularFile(password)) {
            return Optional.of(
                    loginModule(saslMechanism)
                            + " required username=\""
                            + quoted(text(username).strip())
                            + "\" password=\""
                            + quoted(text(password).strip())
                            + "\";");
        }
        return Optional.empty();
    }

    private static Optional<Path> first(Path... files) {
        for (Path file : files) {
            if (Files.isRegularFile(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    /** PLAIN's login module for PLAIN, SCRAM's for the rest (SCRAM-SHA-512, SCRAM-SHA-256). */
    private static String loginModule(String mechanism) {
        return mechanism.toUpperCase(Locale.ROOT).equals("PLAIN")
                ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
    }

    /** A JAAS option value between double quotes: backslashes and quotes escaped. */
    private static String quoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String text(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Kafka credential " + file, e);
        }
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    /**
     * Escaped for SmallRye Config, which expands {@code ${...}} in every source's values: a
     * password holding one must reach Kafka as written.
     */
    @Override
    public String getValue(String propertyName) {
        String value = properties.get(propertyName);
        return value == null ? null : value.replace("$", "\\$");
    }

    @Override
    public String getName() {
        return "sluice-kafka-credentials";
    }

    /** Above application.properties (250), below environment variables (300). */
    @Override
    public int getOrdinal() {
        return 275;
    }
}
