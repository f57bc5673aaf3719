package io.sluice.source.artifact;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import java.io.File;
import java.util.Optional;

/**
 * Serves artifacts by file name ({@code <sha256>.tar.gz}): any replica serves any artifact, one it
 * lacks fetched from the replica that stored it ({@link PeerArtifacts}); asked by another replica,
 * it answers from its own store.
 */
@Path("/artifacts")
public class ArtifactResource {
    private final ArtifactStore store;
    private final PeerArtifacts peers;

    public ArtifactResource(ArtifactStore store, PeerArtifacts peers) {
        this.store = store;
        this.peers = peers;
    }

    @GET
    @Path("/{file}")
    @Produces("application/gzip")
    public File artifact(
            @PathParam("file") String file, @HeaderParam(PeerArtifacts.PEER_HEADER) String peer) {
        Optional<java.nio.file.Path> found = peer == null ? peers.file(file) : store.file(file);
        return found.map(java.nio.file.Path::toFile).orElseThrow(NotFoundException::new);
    }
}
