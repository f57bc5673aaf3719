package io.sluice.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One real Apache Kafka broker in KRaft mode, from {@code deploy/local/kafka/start}. */
public final class KafkaBroker implements AutoCloseable {
    private final Path repoRoot;
    private final Path runDir;
    private final String bootstrapServers;

    private KafkaBroker(Path repoRoot, Path runDir, String bootstrapServers) {
        this.repoRoot = repoRoot;
        this.runDir = runDir;
        this.bootstrapServers = bootstrapServers;
    }

    public static KafkaBroker start(Path repoRoot, Path runDir)
            throws IOException, InterruptedException {
        String bootstrap =
                Launcher.run(
                        repoRoot.resolve("deploy/local/kafka/start"),
                        runDir,
                        runDir.getParent().resolve("kafka-start.log"));
        return new KafkaBroker(repoRoot, runDir, bootstrap);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The broker's SASL_SSL listener (TLS, SCRAM-SHA-512 logins). */
    public String saslSslBootstrapServers() throws IOException {
        return env("KAFKA_SASL_SSL_BOOTSTRAP_SERVERS");
    }

    /**
     * A link to the broker's PROXIED listener, which a test can cut: clients bootstrapped at its
     * {@link BrokerLink#bootstrapServers()} reach the broker through it alone. Close it after.
     */
    public BrokerLink link() throws IOException {
        return BrokerLink.open(
                env("KAFKA_PROXIED_BOOTSTRAP_SERVERS"), env("KAFKA_PROXIED_LISTENER"));
    }

    private String env(String variable) throws IOException {
        String prefix = variable + "=";
        return Files.readAllLines(runDir.resolve("env")).stream()
                .filter(line -> line.startsWith(prefix))
                .reduce((first, last) -> last)
                .orElseThrow(() -> new IOException("no " + variable + " in " + runDir))
                .substring(prefix.length());
    }

    /**
     * A client's TLS trust and SCRAM login for that listener: a directory for {@code
     * SLUICE_KAFKA_DIR}, whose {@code kafka/} holds them as the chart mounts its Secret
     * sluice-kafka ({@code ca.crt}, {@code username}, {@code password}).
     */
    public Path clientCredentials() {
        return runDir.resolve("kafka/client");
    }

    /** Stops the broker: an outage. {@link #restart()} ends it. */
    public void stop() {
        Launcher.stop(repoRoot, runDir);
    }

    /** Starts the stopped broker again, on the same port with the same data. */
    public void restart() throws IOException, InterruptedException {
        Launcher.run(
                repoRoot.resolve("deploy/local/kafka/start"),
                runDir,
                runDir.getParent().resolve("kafka-start.log"));
    }

    @Override
    public void close() {
        Launcher.stop(repoRoot, runDir);
    }
}
