package io.sluice.render.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Builds a Kustomization's {@code spec.path} inside an unpacked artifact as Flux does: writes the kustomization file
 * Flux would (generated for a plain directory, the Kustomization's own fields added), checks that nothing it
 * references leaves the artifact, and has the real kustomize build it.
 */
public final class ManifestBuilder {
    private final KustomizeRunner kustomize;
    private final KustomizationFileWriter writer = new KustomizationFileWriter();

    public ManifestBuilder(KustomizeRunner kustomize) {
        this.kustomize = kustomize;
    }

    public List<Map<String, Object>> build(Path artifactRoot, String path) throws BuildException {
        return build(artifactRoot, path, FluxOverlay.NONE);
    }

    public List<Map<String, Object>> build(Path artifactRoot, String path, FluxOverlay overlay) throws BuildException {
        Path root;
        Path dir;
        try {
            root = artifactRoot.toRealPath();
            Path wanted = root.resolve(path == null || path.isBlank() ? "." : stripLeadingSlash(path)).normalize();
            if (!wanted.startsWith(root) || (Files.exists(wanted) && !wanted.toRealPath().startsWith(root))) {
                throw new BuildException("path '" + path + "' points outside the artifact root");
            }
            if (!Files.isDirectory(wanted)) {
                throw new BuildException("path '" + path + "' not found in the artifact");
            }
            dir = wanted.toRealPath();
        } catch (IOException e) {
            throw new BuildException("cannot read path '" + path + "': " + e.getMessage(), e);
        }
        writer.write(root, dir, overlay);
        ReferenceGuard.check(root);
        return YamlDocuments.objects(kustomize.build(dir), "kustomize build of '" + path + "'");
    }

    private static String stripLeadingSlash(String path) {
        return path.startsWith("/") ? "." + path : path;
    }
}
