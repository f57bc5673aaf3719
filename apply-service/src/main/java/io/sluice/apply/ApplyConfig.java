package io.sluice.apply;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

@ConfigMapping(prefix = "sluice.apply")
public interface ApplyConfig {
    /** The server-side apply field manager that owns every field Sluice writes. */
    @WithDefault("sluice")
    String fieldManager();

    /**
     * Field managers whose fields Sluice takes over at every apply, as kustomize-controller's
     * {@code --override-manager} (say, a tool that edits objects Git owns).
     */
    Optional<List<String>> overrideManagers();

    /**
     * Owners applied at once, as kustomize-controller's and helm-controller's {@code --concurrent}
     * (4 in their binaries): each has a few object requests in flight.
     */
    @WithDefault("10")
    int concurrent();
}
