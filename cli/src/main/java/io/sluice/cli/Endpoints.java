package io.sluice.cli;

import picocli.CommandLine.Option;

/**
 * Where Sluice's parts answer: the environment {@code deploy/local/up} writes to {@code .local/env}
 * (or a port-forward's addresses), overridable by flag.
 */
public final class Endpoints {
    @Option(
            names = "--kafka-bootstrap-servers",
            defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "Kafka's bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS)")
    public String kafka;

    @Option(
            names = "--jaeger-url",
            defaultValue = "${env:JAEGER_URL}",
            description = "Jaeger's query URL (default: $JAEGER_URL)")
    public String jaeger;

    @Option(
            names = "--source-service-url",
            defaultValue = "${env:SOURCE_SERVICE_URL:-http://localhost:8081}")
    public String source;

    @Option(
            names = "--render-service-url",
            defaultValue = "${env:RENDER_SERVICE_URL:-http://localhost:8082}")
    public String render;

    @Option(
            names = "--apply-service-url",
            defaultValue = "${env:APPLY_SERVICE_URL:-http://localhost:8083}")
    public String apply;

    @Option(
            names = "--health-service-url",
            defaultValue = "${env:HEALTH_SERVICE_URL:-http://localhost:8084}")
    public String health;
}
