package io.sluice.source.admin;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.meta.Annotations;
import io.sluice.contracts.source.GitRepository;
import io.sluice.source.SourceConfig;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.time.Instant;

/** Triggers a fetch as {@code flux reconcile source git} does. */
@Path("/admin/gitrepositories")
public class ReconcileRequestResource {
    private final KubernetesClient client;
    private final SourceConfig config;

    public ReconcileRequestResource(KubernetesClient client, SourceConfig config) {
        this.client = client;
        this.config = config;
    }

    /** Sets {@code reconcile.fluxcd.io/requestedAt}, the same signal the flux CLI sends. */
    @POST
    @Path("/{namespace}/{name}/reconcile")
    public String reconcile(
            @HeaderParam("Authorization") String authorization,
            @PathParam("namespace") String namespace,
            @PathParam("name") String name) {
        String token = config.adminToken().orElse(null);
        if (token == null || !("Bearer " + token).equals(authorization)) {
            throw new NotAuthorizedException("Bearer");
        }
        String requestedAt = Instant.now().toString();
        var repo = client.resources(GitRepository.class).inNamespace(namespace).withName(name);
        if (repo.get() == null) {
            throw new NotFoundException("GitRepository " + namespace + "/" + name + " not found");
        }
        repo.edit(
                r -> {
                    r.getMetadata().getAnnotations().put(Annotations.REQUESTED_AT, requestedAt);
                    return r;
                });
        return requestedAt;
    }
}
