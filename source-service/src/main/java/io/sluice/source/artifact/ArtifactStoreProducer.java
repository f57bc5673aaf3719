package io.sluice.source.artifact;

import io.sluice.source.SourceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;

/**
 * One artifact store per service, shared by the Git and Helm sources and the HTTP endpoint that
 * serves it.
 */
public class ArtifactStoreProducer {
    @Produces
    @ApplicationScoped
    ArtifactStore artifactStore(SourceConfig config) throws IOException {
        return new ArtifactStore(config.dataDir().resolve("artifacts"));
    }
}
