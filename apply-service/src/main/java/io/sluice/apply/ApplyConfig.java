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
}
