package io.sluice.render.build;

import io.sluice.render.substitute.PostBuildSubstitution;
import io.sluice.render.substitute.SubstitutionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a Kustomization's {@code spec.path} inside an unpacked artifact as Flux does: writes the
 * kustomization file Flux would (generated for a plain directory, the Kustomization's own fields
 * added), checks that nothing it references leaves the artifact, and has the real kustomize build
 * it.
 */
public final class ManifestBuilder {
    private final KustomizeRunner kustomize;
    private final KustomizationFileWriter writer = new KustomizationFileWriter();

    public ManifestBuilder(KustomizeRunner kustomize) {
        this.kustomize = kustomize;
    }

    public List<Map<String, Object>> build(Path artifactRoot, String path) throws BuildException {
        return build(artifactRoot, path, FluxOverlay.NONE, Optional.empty());
    }

    public List<Map<String, Object>> build(Path artifactRoot, String path, FluxOverlay overlay)
            throws BuildException {
        return build(artifactRoot, path, overlay, Optional.empty());
    }

    /**
     * With {@code postBuild}, the built objects are substituted; without it, {@code ${...}} passes
     * through untouched.
     */
    public List<Map<String, Object>> build(
            Path artifactRoot,
            String path,
            FluxOverlay overlay,
            Optional<PostBuildSubstitution> postBuild)
            throws BuildException {
        return build(artifactRoot, path, overlay, Optional.empty(), postBuild);
    }

    /**
     * With {@code decryption}, encrypted sources are decrypted before the build and encrypted
     * objects after it, before any substitution, as kustomize-controller orders them.
     */
    public List<Map<String, Object>> build(
            Path artifactRoot,
            String path,
            FluxOverlay overlay,
            Optional<SopsDecryption> decryption,
            Optional<PostBuildSubstitution> postBuild)
            throws BuildException {
        Path root;
        Path dir;
        try {
            root = artifactRoot.toRealPath();
            Path wanted =
                    root.resolve(path == null || path.isBlank() ? "." : stripLeadingSlash(path))
                            .normalize();
            if (!wanted.startsWith(root)
                    || (Files.exists(wanted) && !wanted.toRealPath().startsWith(root))) {
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
        ReferenceGuard.check(root, dir);
        if (decryption.isPresent()) {
            decryption.get().decryptSources(root, dir);
        }
        String built = kustomize.build(dir);
        if (decryption.isPresent()) {
            built = decryption.get().decryptObjects(built);
        }
        if (postBuild.isEmpty()) {
            return YamlDocuments.objects(built, "kustomize build of '" + path + "'");
        }
        try {
            return postBuild.get().apply(built);
        } catch (SubstitutionException e) {
            throw new BuildException("post build substitution failed: " + e.getMessage(), e);
        }
    }

    private static String stripLeadingSlash(String path) {
        return path.startsWith("/") ? "." + path : path;
    }
}
