package io.sluice.source.artifact;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import java.io.File;

/** Serves stored artifacts by file name ({@code <sha256>.tar.gz}) to render-service. */
@Path("/artifacts")
public class ArtifactResource {
    private final ArtifactStore store;

    public ArtifactResource(ArtifactStore store) {
        this.store = store;
    }

    @GET
    @Path("/{file}")
    @Produces("application/gzip")
    public File artifact(@PathParam("file") String file) {
        return store.file(file).map(java.nio.file.Path::toFile).orElseThrow(NotFoundException::new);
    }
}
