package io.sluice.render.kustomize;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.admin.ObjectStates;
import io.sluice.contracts.events.ArtifactEvent;
import io.sluice.contracts.events.Attempt;
import io.sluice.contracts.events.BundleSeal;
import io.sluice.contracts.events.Failure;
import io.sluice.contracts.events.Manifests;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.events.RenderResult;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.kustomize.KustomizationSpec;
import io.sluice.contracts.logging.ObjectLogContext;
import io.sluice.contracts.meta.Annotations;
import io.sluice.contracts.meta.GoDuration;
import io.sluice.contracts.meta.Reasons;
import io.sluice.contracts.source.Artifact;
import io.sluice.contracts.source.GitRepository;
import io.sluice.contracts.source.OCIRepository;
import io.sluice.render.artifact.ArtifactFetcher;
import io.sluice.render.artifact.ArtifactTrees;
import io.sluice.render.build.BuildException;
import io.sluice.render.build.CommonMetadata;
import io.sluice.render.build.FluxOverlay;
import io.sluice.render.build.KustomizeRunner;
import io.sluice.render.build.ManifestBuilder;
import io.sluice.render.build.PgpKeyring;
import io.sluice.render.build.SopsDecryption;
import io.sluice.render.publish.RenderPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The story of rendering one Kustomization: find its source's artifact, download and verify it,
 * build {@code spec.path}, and send the objects (or the reason they could not be built) to
 * apply-service.
 */
@ApplicationScoped
public class KustomizationRenderer {
    private static final Logger LOG = Logger.getLogger(KustomizationRenderer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    private static final TypeReference<List<Map<String, Object>>> LIST_OF_MAPS =
            new TypeReference<>() {};

    private final KubernetesClient client;
    private final BundleSeal seal;
    private final RenderPublisher publisher;
    private final ObjectStates states;
    private final ArtifactTrees trees = ArtifactTrees.inTemporaryDirectory(new ArtifactFetcher());
    private final ManifestBuilder builder = new ManifestBuilder(KustomizeRunner.locate());
    private final RenderedAttempts renderedAttempts = new RenderedAttempts();

    public KustomizationRenderer(
            KubernetesClient client,
            RenderPublisher publisher,
            ObjectStates states,
            BundleSeal seal) {
        this.client = client;
        this.seal = seal;
        this.publisher = publisher;
        this.states = states;
    }

    /**
     * Renders against the artifact its source's status currently names; {@code resyncAt} marks a
     * periodic resync. Returns when it is due again: its interval, or its retry interval after a
     * failure; empty when it is being deleted.
     */
    public Optional<Duration> render(Kustomization ks, String resyncAt) {
        return render(ks, sourceArtifact(ks), resyncAt);
    }

    /** Renders against an artifact just announced: the source's status may not name it yet. */
    public Optional<Duration> render(Kustomization ks, ArtifactEvent announced) {
        Artifact artifact = new Artifact();
        artifact.revision = announced.revision();
        artifact.digest = announced.digest();
        artifact.url = announced.url();
        return render(ks, artifact, null);
    }

    private Optional<Duration> render(Kustomization ks, Artifact artifact, String resyncAt) {
        ObjectRef ref =
                new ObjectRef(
                        Kustomization.KIND,
                        ks.getMetadata().getNamespace(),
                        ks.getMetadata().getName());
        if (ks.getMetadata().getDeletionTimestamp() != null) {
            renderedAttempts.forget(ref);
            return Optional.empty(); // being deleted (which bumps its generation): apply-service's
            // finalizer prunes or orphans it
        }
        Duration interval = duration(ks.getSpec().interval, Duration.ofMinutes(10));
        if (Boolean.TRUE.equals(ks.getSpec().suspend)) {
            states.succeeded(ref, null, Reasons.SUSPENDED, "suspended");
            return Optional.of(interval);
        }
        String revision = artifact == null ? "" : artifact.revision;
        Attempt attempt =
                new Attempt(
                        ref, ks.getMetadata().getGeneration(), revision, requestedAt(ks), resyncAt);
        RenderedAttempts.Inputs inputs =
                new RenderedAttempts.Inputs(
                        ks.getMetadata().getUid(),
                        ks.getMetadata().getGeneration(),
                        requestedAt(ks),
                        revision,
                        artifact == null ? null : artifact.digest);
        if (resyncAt == null && renderedAttempts.renderedAlready(ref, inputs)) {
            try (ObjectLogContext logged = ObjectLogContext.of(ref, revision)) {
                LOG.debugf("rendered already from %s", revision);
            }
            return Optional.of(interval);
        }
        RenderResult result =
                publisher.publish(
                        attempt,
                        () ->
                                artifact == null
                                        ? RenderResult.failed(
                                                attempt,
                                                new Failure(
                                                        Reasons.ARTIFACT_FAILED,
                                                        "Source artifact not found: "
                                                                + sourceName(ks)))
                                        : build(attempt, artifact, ks));
        if (result.failure() != null) {
            renderedAttempts.forget(ref);
            return Optional.of(duration(ks.getSpec().retryInterval, interval));
        }
        renderedAttempts.rendered(ref, inputs);
        return Optional.of(interval);
    }

    /** A deleted Kustomization is forgotten. */
    void forget(ObjectRef ref) {
        renderedAttempts.forget(ref);
    }

    /**
     * A Go duration, at least a second (an interval of 0s would resync without pause); the fallback
     * if it cannot be read.
     */
    private static Duration duration(String text, Duration fallback) {
        try {
            Duration parsed = GoDuration.parse(text, fallback);
            return parsed.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : parsed;
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    private RenderResult build(Attempt attempt, Artifact artifact, Kustomization ks)
            throws BuildException, IOException, InterruptedException {
        var postBuild = SubstitutionVariables.of(client, ks);
        Optional<SopsDecryption> decryption = decryption(ks);
        try (ArtifactTrees.Checkout tree =
                trees.checkout(
                        artifact.url, artifact.digest, ks.getSpec().path, decryption.isPresent())) {
            List<Map<String, Object>> objects =
                    builder.build(
                            tree.root(),
                            ks.getSpec().path,
                            overlay(ks, tree.root()),
                            decryption,
                            postBuild);
            CommonMetadata.apply(objects, ks.getSpec().commonMetadata);
            return RenderResult.rendered(attempt, Manifests.encode(objects, seal), objects.size());
        }
    }

    /**
     * {@code spec.decryption} with provider sops: the age identities ({@code *.agekey} entries) and
     * OpenPGP keys ({@code *.asc}) of its Secret, as kustomize-controller imports them.
     */
    private Optional<SopsDecryption> decryption(Kustomization ks) throws BuildException {
        JsonNode decryption = ks.getSpec().decryption;
        if (decryption == null || !"sops".equals(decryption.path("provider").asText())) {
            return Optional.empty();
        }
        String name = decryption.path("secretRef").path("name").asText("");
        if (name.isEmpty()) {
            return Optional.of(new SopsDecryption("", new byte[0]));
        }
        String namespace = ks.getMetadata().getNamespace();
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            throw new BuildException("secrets \"" + name + "\" not found");
        }
        StringBuilder identities = new StringBuilder();
        PgpKeyring keyring = new PgpKeyring();
        Map<String, String> data =
                new TreeMap<>(secret.getData() == null ? Map.of() : secret.getData());
        for (Map.Entry<String, String> entry : data.entrySet()) {
            byte[] value = Base64.getDecoder().decode(entry.getValue());
            if (entry.getKey().endsWith(".agekey")) {
                identities.append(new String(value, StandardCharsets.UTF_8)).append('\n');
            } else if (entry.getKey().endsWith(".asc")) {
                keyring.add(
                        value,
                        "'"
                                + entry.getKey()
                                + "' data from sops decryption Secret '"
                                + namespace
                                + "/"
                                + name
                                + "'");
            }
        }
        return Optional.of(new SopsDecryption(identities.toString(), keyring.bytes()));
    }

    private static FluxOverlay overlay(Kustomization ks, Path artifact) {
        var spec = ks.getSpec();
        return new FluxOverlay(
                spec.targetNamespace,
                spec.namePrefix,
                spec.nameSuffix,
                spec.patches == null ? null : JSON.convertValue(spec.patches, LIST_OF_MAPS),
                spec.images == null ? null : JSON.convertValue(spec.images, LIST_OF_MAPS),
                components(spec, artifact));
    }

    /**
     * {@code components}, relative to {@code path}; with {@code ignoreMissingComponents}, those not
     * in the artifact left out.
     */
    private static List<String> components(KustomizationSpec spec, Path artifact) {
        if (spec.components == null || !Boolean.TRUE.equals(spec.ignoreMissingComponents)) {
            return spec.components;
        }
        Path base = artifact.resolve(spec.path == null ? "" : spec.path.replaceFirst("^/+", ""));
        return spec.components.stream()
                .filter(c -> Files.exists(base.resolve(c).normalize()))
                .toList();
    }

    /** The artifact of the Kustomization's source: a GitRepository or an OCIRepository. */
    private Artifact sourceArtifact(Kustomization ks) {
        var sourceRef = ks.getSpec().sourceRef;
        if (sourceRef != null && GitRepository.KIND.equals(sourceRef.kind)) {
            return artifactOf(
                    GitRepository.class,
                    ks,
                    r -> r.getStatus() == null ? null : r.getStatus().artifact);
        }
        if (sourceRef != null && OCIRepository.KIND.equals(sourceRef.kind)) {
            return artifactOf(
                    OCIRepository.class,
                    ks,
                    r -> r.getStatus() == null ? null : r.getStatus().artifact);
        }
        return null;
    }

    private <T extends HasMetadata> Artifact artifactOf(
            Class<T> type, Kustomization ks, Function<T, Artifact> artifact) {
        T source =
                client.resources(type)
                        .inNamespace(sourceNamespace(ks))
                        .withName(ks.getSpec().sourceRef.name)
                        .get();
        return source == null ? null : artifact.apply(source);
    }

    static String sourceNamespace(Kustomization ks) {
        String ns = ks.getSpec().sourceRef.namespace;
        return ns == null || ns.isEmpty() ? ks.getMetadata().getNamespace() : ns;
    }

    private static String sourceName(Kustomization ks) {
        var sourceRef = ks.getSpec().sourceRef;
        return sourceRef == null
                ? "no sourceRef"
                : sourceRef.kind + "/" + sourceNamespace(ks) + "/" + sourceRef.name;
    }

    static String requestedAt(Kustomization ks) {
        Map<String, String> annotations = ks.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(Annotations.REQUESTED_AT);
    }
}
