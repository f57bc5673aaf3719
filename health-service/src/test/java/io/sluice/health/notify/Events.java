package io.sluice.health.notify;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.sluice.contracts.notification.Alert;
import io.sluice.contracts.notification.AlertSpec;
import io.sluice.contracts.notification.CrossNamespaceObjectReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Events and Alerts for the unit tests. */
final class Events {
    private Events() {}

    static FluxEvent kustomization(String severity, String reason, String message) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("revision", "main@sha1:0123456789abcdef0123456789abcdef01234567");
        return new FluxEvent(
                new FluxEvent.InvolvedObject(
                        "Kustomization",
                        "apps",
                        "podinfo",
                        "5b2c-uid",
                        "kustomize.toolkit.fluxcd.io/v1"),
                severity,
                "2026-11-29T08:00:00Z",
                message,
                reason,
                metadata,
                "kustomize-controller",
                "health-0");
    }

    static Alert alert(String namespace, CrossNamespaceObjectReference... sources) {
        Alert alert = new Alert();
        alert.setMetadata(
                new ObjectMetaBuilder().withNamespace(namespace).withName("on-call").build());
        alert.setSpec(new AlertSpec());
        alert.getSpec().eventSources = List.of(sources);
        return alert;
    }

    static CrossNamespaceObjectReference source(String kind, String name, String namespace) {
        CrossNamespaceObjectReference source = new CrossNamespaceObjectReference();
        source.kind = kind;
        source.name = name;
        source.namespace = namespace;
        return source;
    }
}
