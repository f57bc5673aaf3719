package io.sluice.source.receiver;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.contracts.meta.Annotations;
import io.sluice.contracts.meta.Conditions;
import io.sluice.contracts.notification.CrossNamespaceObjectReference;
import io.sluice.contracts.notification.Receiver;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Serves the receivers' webhook paths as notification-controller does: 404 for a path no Ready
 * receiver has, 503 for a suspended or unready one, 400 for a request that fails its type's check
 * (counted in {@code sluice_receiver_rejected_total}; nothing is reconciled), 413 for a body over 3
 * MiB; else each of {@code spec.resources} (a name, or {@code *} with {@code matchLabels}) is
 * annotated {@code reconcile.fluxcd.io/requestedAt}, as {@code flux reconcile} does, and the answer
 * is 200 (500 if one could not be).
 */
@Path("/hook")
public class ReceiverResource {
    private static final Logger LOG = Logger.getLogger(ReceiverResource.class);
    private static final int MAX_BODY = 3 * 1024 * 1024;
    private static final Map<String, String> FLUX_API_VERSIONS =
            Map.of(
                    "GitRepository", "source.toolkit.fluxcd.io/v1",
                    "OCIRepository", "source.toolkit.fluxcd.io/v1",
                    "HelmRepository", "source.toolkit.fluxcd.io/v1",
                    "HelmChart", "source.toolkit.fluxcd.io/v1",
                    "Bucket", "source.toolkit.fluxcd.io/v1",
                    "Kustomization", "kustomize.toolkit.fluxcd.io/v1",
                    "HelmRelease", "helm.toolkit.fluxcd.io/v2");

    private final KubernetesClient client;
    private final ReceiverReconciler receivers;
    private final MeterRegistry metrics;

    public ReceiverResource(
            KubernetesClient client, ReceiverReconciler receivers, MeterRegistry metrics) {
        this.client = client;
        this.receivers = receivers;
        this.metrics = metrics;
    }

    @POST
    @Path("/{digest}")
    public Response handle(@PathParam("digest") String digest, HttpHeaders headers, byte[] body) {
        if (body != null && body.length > MAX_BODY) {
            return Response.status(413).build();
        }
        Optional<Receiver> found = receivers.byPath("/hook/" + digest);
        if (found.isEmpty()) {
            return Response.status(404).build();
        }
        Receiver receiver = found.get();
        String name =
                receiver.getMetadata().getNamespace() + "/" + receiver.getMetadata().getName();
        if (Boolean.TRUE.equals(receiver.getSpec().suspend)
                || receiver.getStatus() == null
                || !Conditions.isTrue(receiver.getStatus().conditions, Conditions.READY)) {
            LOG.warnf("Receiver %s: unable to process request: suspended or not ready", name);
            return Response.status(503).build();
        }
        ReceiverReconciler.Token token = receivers.token(receiver);
        String problem =
                token.value() == null
                        ? token.problem()
                        : PayloadCheck.problem(
                                receiver,
                                token.value(),
                                headers::getHeaderString,
                                body == null ? new byte[0] : body);
        if (problem != null) {
            LOG.warnf("Receiver %s: unable to validate payload: %s", name, problem);
            metrics.counter("sluice_receiver_rejected_total", "receiver", name).increment();
            return Response.status(400).build();
        }
        boolean failed = false;
        for (CrossNamespaceObjectReference resource :
                receiver.getSpec().resources == null
                        ? List.<CrossNamespaceObjectReference>of()
                        : receiver.getSpec().resources) {
            try {
                requestReconcile(receiver, resource);
            } catch (RuntimeException e) {
                LOG.warnf(
                        "Receiver %s: unable to request reconciliation of %s %s: %s",
                        name, resource.kind, resource.name, e.getMessage());
                failed = true;
            }
        }
        return Response.status(failed ? 500 : 200).build();
    }

    private void requestReconcile(Receiver receiver, CrossNamespaceObjectReference resource) {
        String namespace =
                resource.namespace == null || resource.namespace.isEmpty()
                        ? receiver.getMetadata().getNamespace()
                        : resource.namespace;
        String apiVersion =
                resource.apiVersion != null && !resource.apiVersion.isEmpty()
                        ? resource.apiVersion
                        : FLUX_API_VERSIONS.get(resource.kind);
        if (apiVersion == null) {
            throw new IllegalArgumentException(
                    "apiVersion must be specified for kind \"" + resource.kind + "\"");
        }
        var kind =
                client.genericKubernetesResources(apiVersion, resource.kind).inNamespace(namespace);
        List<String> names;
        if ("*".equals(resource.name)) {
            if (resource.matchLabels == null) {
                throw new IllegalArgumentException(
                        "matchLabels field not set when using wildcard '*' as name");
            }
            names =
                    kind.withLabels(resource.matchLabels).list().getItems().stream()
                            .map(GenericKubernetesResource::getMetadata)
                            .map(m -> m.getName())
                            .toList();
            if (names.isEmpty()) {
                throw new IllegalArgumentException(
                        "no \""
                                + resource.kind
                                + "\" resources found with matching labels "
                                + resource.matchLabels
                                + " in \""
                                + namespace
                                + "\" namespace");
            }
        } else {
            names = List.of(resource.name);
        }
        String patch =
                "{\"metadata\":{\"annotations\":{\""
                        + Annotations.REQUESTED_AT
                        + "\":\""
                        + Instant.now()
                        + "\"}}}";
        for (String name : names) {
            kind.withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            LOG.infof("%s %s/%s annotated", resource.kind, namespace, name);
        }
    }
}
