package io.sluice.apply;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "sluice.apply")
public interface ApplyConfig {
    /** The server-side apply field manager that owns every field Sluice writes. */
    @WithDefault("sluice")
    String fieldManager();
}
