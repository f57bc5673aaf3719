package io.sluice.source.oci;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.contracts.version.Version;
import io.sluice.source.artifact.ArtifactStore;
import io.sluice.source.artifact.StoredArtifact;
import io.sluice.source.version.VersionConstraint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A chart from an OCI HelmRepository ({@code type: oci}), as source-controller pulls it with Helm's
 * registry client: an exact version is pulled as it is; a range (default {@code *}) picks the
 * highest tag that satisfies it (tags read with {@code _} as {@code +}); the chart layer is stored
 * as it is.
 */
public final class OciChartPuller {
    private static final Set<String> CHART_LAYERS =
            Set.of("application/vnd.cncf.helm.chart.content.v1.tar+gzip", "application/tar+gzip");

    /** The chart pulled: its version and where it is stored. */
    public record Pulled(String version, StoredArtifact stored) {}

    /** A chart that could not be pulled, in source-controller's words. */
    public static final class PullFailed extends Exception {
        PullFailed(String message) {
            super(message);
        }
    }

    private OciChartPuller() {}

    /**
     * Pulls chart {@code name} at {@code version} (a version or a range) from the repository at
     * {@code url} ({@code oci://host/path}).
     */
    public static Pulled pull(
            String url,
            String name,
            String version,
            Optional<String> credentials,
            boolean insecure,
            Duration timeout,
            ArtifactStore store)
            throws PullFailed, IOException, InterruptedException {
        String chartUrl = url.replaceFirst("/+$", "") + "/" + name;
        OciUrl repository;
        try {
            repository = OciUrl.parse(chartUrl);
        } catch (OciException e) {
            throw new PullFailed("invalid OCI registry URL: " + e.getMessage());
        }
        RegistryClient registry = new RegistryClient(repository, credentials, insecure, timeout);
        String chosen = choose(registry, chartUrl, name, version);
        Path layer = Files.createTempFile("oci-chart-", ".tgz");
        try {
            JsonNode manifest = registry.manifest(registry.digestOf(chosen.replace('+', '_')));
            String digest = null;
            for (JsonNode l : manifest.path("layers")) {
                if (CHART_LAYERS.contains(l.path("mediaType").asText())) {
                    digest = l.path("digest").asText();
                    break;
                }
            }
            if (digest == null) {
                throw new PullFailed(
                        "chart pull error: failed to download chart for remote reference: manifest does not contain a layer with mediatype application/vnd.cncf.helm.chart.content.v1.tar+gzip");
            }
            registry.download(digest, layer);
            return new Pulled(chosen, store.store(out -> Files.copy(layer, out)));
        } catch (RegistryError e) {
            throw new PullFailed(
                    "chart pull error: failed to download chart for remote reference: failed to get '"
                            + chartUrl
                            + ":"
                            + chosen
                            + "': "
                            + e.getMessage());
        } finally {
            Files.deleteIfExists(layer);
        }
    }

    /** The version to pull: an exact one as it is, else the highest tag in the range. */
    private static String choose(
            RegistryClient registry, String chartUrl, String name, String version)
            throws PullFailed, InterruptedException {
        String wanted = version == null || version.isEmpty() ? "*" : version;
        if (wanted.split("\\.", 3).length == 3 && Version.parse(wanted).isPresent()) {
            return wanted;
        }
        VersionConstraint range;
        try {
            range = VersionConstraint.parse(wanted);
        } catch (IllegalArgumentException e) {
            throw new PullFailed(
                    "chart pull error: failed to get chart version for remote reference: "
                            + e.getMessage());
        }
        Map<Version, String> versions = new HashMap<>();
        try {
            for (String tag : registry.tags()) {
                String text = tag.replace('_', '+');
                Version.parse(text)
                        .filter(v -> text.split("\\.", 3).length == 3)
                        .filter(range::check)
                        .ifPresent(v -> versions.put(v, text));
            }
        } catch (IOException e) {
            throw new PullFailed(
                    "chart pull error: failed to get chart version for remote reference: could not get tags for \""
                            + name
                            + "\": could not fetch tags for \""
                            + chartUrl
                            + "\": "
                            + e.getMessage());
        }
        return versions.keySet().stream()
                .max(Comparator.naturalOrder())
                .map(versions::get)
                .orElseThrow(
                        () ->
                                new PullFailed(
                                        "chart pull error: failed to get chart version for remote reference: could not locate a version matching provided version string "
                                                + wanted));
    }
}
