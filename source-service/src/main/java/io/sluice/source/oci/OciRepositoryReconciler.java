package io.sluice.source.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.admin.ObjectStates;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.meta.GoDuration;
import io.sluice.contracts.meta.Reasons;
import io.sluice.contracts.source.Artifact;
import io.sluice.contracts.source.OCIRepository;
import io.sluice.contracts.source.OCIRepositorySpec;
import io.sluice.contracts.version.Version;
import io.sluice.source.SourceConfig;
import io.sluice.source.artifact.ArtifactStore;
import io.sluice.source.artifact.SourceStatus;
import io.sluice.source.artifact.StoredArtifact;
import io.sluice.source.version.VersionConstraint;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The story of one OCIRepository, as source-controller tells it: resolve the ref (digest, else
 * semver over the tags, else the tag, {@code latest} by default) to the manifest's digest; when
 * that revision or the layer and ignore settings changed, pull the manifest, take the selected
 * layer and store it (extracted or copied) as the artifact; record status, then announce it.
 */
@ApplicationScoped
public class OciRepositoryReconciler {
    private static final Logger LOG = Logger.getLogger(OciRepositoryReconciler.class);
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final String HELM_CHART_LAYER =
            "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final SourceStatus status;
    private final ObjectStates states;
    private final ArtifactStore store;
    private final SourceConfig config;

    public OciRepositoryReconciler(
            KubernetesClient client,
            SourceStatus status,
            ObjectStates states,
            ArtifactStore store,
            SourceConfig config) {
        this.client = client;
        this.status = status;
        this.states = states;
        this.store = store;
        this.config = config;
    }

    /** Reconciles once; returns when the next poll is due. */
    public Duration reconcile(OCIRepository repo) {
        ObjectRef ref =
                new ObjectRef(
                        OCIRepository.KIND,
                        repo.getMetadata().getNamespace(),
                        repo.getMetadata().getName());
        Duration interval = GoDuration.parse(repo.getSpec().interval, Duration.ofMinutes(1));
        if (Boolean.TRUE.equals(repo.getSpec().suspend)) {
            states.succeeded(ref, null, Reasons.SUSPENDED, "suspended");
            return interval;
        }
        MDC.put("object", ref.key());
        List<Condition> conditions = repo.getStatus() == null ? null : repo.getStatus().conditions;
        Artifact kept = repo.getStatus() == null ? null : repo.getStatus().artifact;
        try {
            Artifact artifact = fetch(ref, repo);
            MDC.put("revision", artifact.revision);
            String message = "stored artifact for digest '" + artifact.revision + "'";
            Map<String, Object> observed = new HashMap<>();
            observed.put("url", artifact.url);
            observed.put("observedIgnore", repo.getSpec().ignore);
            observed.put("observedLayerSelector", repo.getSpec().layerSelector);
            if (status.stored(ref, repo, conditions, artifact, message, observed, null)) {
                LOG.infof("%s (%s)", message, artifact.digest);
            }
        } catch (OciException e) {
            LOG.warnf("%s", e.getMessage());
            status.failed(ref, repo, conditions, kept, e.reason(), e.getMessage());
        } catch (IOException e) {
            status.failed(
                    ref,
                    repo,
                    conditions,
                    kept,
                    "StorageOperationFailed",
                    "unable to store artifact: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            MDC.remove("object");
            MDC.remove("revision");
        }
        return interval;
    }

    private Artifact fetch(ObjectRef ref, OCIRepository repo)
            throws OciException, IOException, InterruptedException {
        OCIRepositorySpec spec = repo.getSpec();
        OciUrl url = OciUrl.parse(spec.url);
        RegistryClient registry =
                new RegistryClient(
                        url,
                        credentials(repo, url),
                        Boolean.TRUE.equals(spec.insecure),
                        GoDuration.parse(spec.timeout, DEFAULT_TIMEOUT));
        String reference = reference(registry, spec, url);
        String digest;
        try {
            digest = reference.startsWith("sha256:") ? reference : registry.digestOf(reference);
        } catch (IOException e) {
            throw new OciException(
                    "OCIArtifactPullFailed",
                    "failed to determine artifact digest: " + e.getMessage());
        }
        String revision = reference.startsWith("sha256:") ? digest : reference + "@" + digest;
        Artifact current = repo.getStatus() == null ? null : repo.getStatus().artifact;
        if (current != null
                && revision.equals(current.revision)
                && Objects.equals(spec.ignore, repo.getStatus().observedIgnore)
                && sameSelector(spec.layerSelector, repo.getStatus().observedLayerSelector)
                && store.adopt(current, config.artifactBaseUrl())) {
            return current;
        }
        Path layer = Files.createTempFile("oci-layer-", ".blob");
        try {
            JsonNode manifest;
            try {
                manifest = image(registry, registry.manifest(digest), url.named(digest));
                registry.download(layer(manifest, spec.layerSelector), layer);
            } catch (IOException e) {
                throw new OciException(
                        "OCIArtifactPullFailed",
                        "failed to pull artifact from '" + spec.url + "': " + e.getMessage());
            }
            String operation =
                    spec.layerSelector == null || spec.layerSelector.operation == null
                            ? LayerArchiver.EXTRACT
                            : spec.layerSelector.operation;
            StoredArtifact stored;
            try {
                stored = store.store(out -> write(layer, operation, spec.ignore, out));
            } catch (LayerFailure e) {
                throw (OciException) e.getCause();
            }
            Artifact artifact =
                    stored.asArtifact(
                            "ocirepository/"
                                    + ref.namespace()
                                    + "/"
                                    + ref.name()
                                    + "/"
                                    + digest
                                    + ".tar.gz",
                            revision,
                            config.artifactBaseUrl());
            Map<String, String> annotations = new LinkedHashMap<>();
            manifest.path("annotations")
                    .fields()
                    .forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
            artifact.metadata = annotations.isEmpty() ? null : annotations;
            return artifact;
        } finally {
            Files.deleteIfExists(layer);
        }
    }

    private static void write(Path layer, String operation, String ignore, java.io.OutputStream out)
            throws IOException {
        try {
            LayerArchiver.write(layer, operation, ignore, out);
        } catch (OciException e) {
            throw new LayerFailure(e);
        }
    }

    /** An OciException carried through the artifact store's writer. */
    private static final class LayerFailure extends IOException {
        LayerFailure(OciException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** The tag or digest to pull: digest, else the highest tag semver allows, else the tag. */
    private static String reference(RegistryClient registry, OCIRepositorySpec spec, OciUrl url)
            throws OciException, InterruptedException {
        OCIRepositorySpec.OCIRepositoryRef ref = spec.ref;
        if (ref != null && ref.digest != null && !ref.digest.isEmpty()) {
            return ref.digest;
        }
        if (ref != null && ref.semver != null && !ref.semver.isEmpty()) {
            try {
                return highestTag(registry, ref, chartTags(spec));
            } catch (IOException e) {
                throw new OciException(
                        "ReadOperationFailed",
                        "failed to determine the artifact tag for '"
                                + spec.url
                                + "': "
                                + e.getMessage());
            }
        }
        return ref != null && ref.tag != null && !ref.tag.isEmpty() ? ref.tag : "latest";
    }

    private static String highestTag(
            RegistryClient registry, OCIRepositorySpec.OCIRepositoryRef ref, boolean chart)
            throws IOException, InterruptedException, OciException {
        VersionConstraint range;
        try {
            range = VersionConstraint.parse(ref.semver);
        } catch (IllegalArgumentException e) {
            throw new OciException(
                    "ReadOperationFailed",
                    "semver '" + ref.semver + "' parse error: " + e.getMessage());
        }
        Pattern filter =
                ref.semverFilter == null || ref.semverFilter.isEmpty()
                        ? null
                        : Pattern.compile(ref.semverFilter);
        Map<Version, String> versions = new HashMap<>();
        for (String tag : registry.tags()) {
            if (filter != null && !filter.matcher(tag).find()) {
                continue;
            }
            String text = chart ? tag.replace('_', '+') : tag;
            if (text.split("\\.", 3).length == 3) {
                Version.parse(text).filter(range::check).ifPresent(v -> versions.put(v, tag));
            }
        }
        return versions.keySet().stream()
                .max(Comparator.naturalOrder())
                .map(versions::get)
                .orElseThrow(
                        () ->
                                new OciException(
                                        "ReadOperationFailed",
                                        "no match found for semver: " + ref.semver));
    }

    private static boolean chartTags(OCIRepositorySpec spec) {
        return spec.layerSelector != null && HELM_CHART_LAYER.equals(spec.layerSelector.mediaType);
    }

    /** The image manifest: an index's linux/amd64 child (or its first without a platform). */
    private static JsonNode image(RegistryClient registry, JsonNode manifest, String named)
            throws IOException, InterruptedException {
        if (!manifest.has("manifests")) {
            return manifest;
        }
        for (JsonNode child : manifest.get("manifests")) {
            JsonNode platform = child.path("platform");
            if (platform.isMissingNode()
                    || ("linux".equals(platform.path("os").asText())
                            && "amd64".equals(platform.path("architecture").asText()))) {
                return registry.manifest(child.path("digest").asText());
            }
        }
        throw new RegistryError(
                "no child with platform {Architecture:amd64 OS:linux} in index " + named);
    }

    /** The selected layer's digest: the first of the media type asked for, else the first. */
    private static String layer(JsonNode manifest, OCIRepositorySpec.OCILayerSelector selector)
            throws OciException {
        JsonNode layers = manifest.path("layers");
        if (!layers.isArray() || layers.isEmpty()) {
            throw new OciException(
                    "OCIArtifactLayerOperationFailed", "no layers found in artifact");
        }
        if (selector == null || selector.mediaType == null || selector.mediaType.isEmpty()) {
            return layers.get(0).path("digest").asText();
        }
        for (JsonNode layer : layers) {
            if (selector.mediaType.equals(layer.path("mediaType").asText())) {
                return layer.path("digest").asText();
            }
        }
        throw new OciException(
                "OCIArtifactLayerOperationFailed",
                "failed to find layer with media type '" + selector.mediaType + "' in artifact");
    }

    private static boolean sameSelector(
            OCIRepositorySpec.OCILayerSelector a, OCIRepositorySpec.OCILayerSelector b) {
        return Objects.equals(a == null ? null : a.mediaType, b == null ? null : b.mediaType)
                && Objects.equals(a == null ? null : a.operation, b == null ? null : b.operation);
    }

    /**
     * {@code user:password} for the registry's host from the {@code secretRef}, a docker-registry
     * Secret ({@code .dockerconfigjson}), as Flux's keychain reads it.
     */
    private Optional<String> credentials(OCIRepository repo, OciUrl url) throws OciException {
        if (repo.getSpec().secretRef == null) {
            return Optional.empty();
        }
        String ns = repo.getMetadata().getNamespace();
        String name = repo.getSpec().secretRef.getName();
        Secret secret = client.secrets().inNamespace(ns).withName(name).get();
        String config =
                secret == null || secret.getData() == null
                        ? null
                        : secret.getData().get(".dockerconfigjson");
        if (config == null) {
            throw new OciException(
                    "AuthenticationFailed",
                    "failed to get credential: failed to get secret '" + ns + "/" + name + "'");
        }
        try {
            JsonNode auths = JSON.readTree(Base64.getDecoder().decode(config)).path("auths");
            String best = null;
            for (var it = auths.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                String host = key.replaceFirst("^https?://", "").replaceFirst("/.*$", "");
                if (host.equals(url.host()) && (best == null || key.length() > best.length())) {
                    best = key;
                }
            }
            if (best == null) {
                return Optional.empty();
            }
            JsonNode entry = auths.get(best);
            if (entry.hasNonNull("username")) {
                return Optional.of(
                        entry.get("username").asText() + ":" + entry.path("password").asText());
            }
            return Optional.of(
                    new String(
                            Base64.getDecoder().decode(entry.path("auth").asText()),
                            StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            throw new OciException(
                    "AuthenticationFailed",
                    "failed to get credential: the Secret '"
                            + ns
                            + "/"
                            + name
                            + "' holds no readable .dockerconfigjson");
        }
    }
}
