package io.sluice.render.build;

import java.util.List;
import java.util.Map;

/**
 * The fields of a Flux Kustomization that act on the build, applied to the kustomization file as
 * Flux applies them: {@code targetNamespace} becomes {@code namespace}, patches and components are
 * appended, an image entry replaces one of the same name or is appended.
 */
public record FluxOverlay(
        String targetNamespace,
        String namePrefix,
        String nameSuffix,
        List<Map<String, Object>> patches,
        List<Map<String, Object>> images,
        List<String> components) {

    public static final FluxOverlay NONE =
            new FluxOverlay(null, null, null, List.of(), List.of(), List.of());

    public FluxOverlay {
        patches = patches == null ? List.of() : List.copyOf(patches);
        images = images == null ? List.of() : List.copyOf(images);
        components = components == null ? List.of() : List.copyOf(components);
    }
}
