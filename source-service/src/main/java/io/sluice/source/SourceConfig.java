package io.sluice.source;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

@ConfigMapping(prefix = "sluice.source")
public interface SourceConfig {
    /**
     * Where Git mirrors and artifacts are kept; an emptyDir in a pod, a temporary directory
     * locally.
     */
    Path dataDir();

    /** Base URL under which render-service reaches this service's artifact store. */
    String artifactBaseUrl();

    /** Concurrent fetches; each GitRepository is fetched by one at a time. */
    @WithDefault("2")
    int workers();

    /**
     * Bearer token that admin writes (trigger a reconcile) require; without one, admin writes are
     * refused.
     */
    Optional<String> adminToken();
}
