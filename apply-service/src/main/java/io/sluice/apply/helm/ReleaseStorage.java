package io.sluice.apply.helm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.helm.HelmValues;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Helm's release storage, written as Helm writes it: one Secret {@code
 * sh.helm.release.v1.<name>.v<version>} of type {@code helm.sh/release.v1} per revision, labelled
 * {@code name}, {@code owner=helm}, {@code status}, {@code version}, holding the release JSON
 * gzipped and base64-encoded under {@code release}. So {@code helm list}, {@code helm history} and
 * {@code helm get manifest} read what Sluice did, and a cluster moves between Flux and Sluice
 * either way. Sluice adds annotations Helm ignores: the attempt a revision was made for, its render
 * digest, and whether its hooks and objects were all applied (a pending revision without it was cut
 * short by a crash).
 */
public final class ReleaseStorage {
    static final String ATTEMPT = "sluice.io/attempt";
    static final String RENDER_DIGEST = "sluice.io/render-digest";
    static final String APPLIED = "sluice.io/applied";
    static final String CONFIG_DIGEST = "sluice.io/config-digest";
    static final String CREATED = "sluice.io/created";

    /**
     * The post-renderers and common metadata the revision was made with ({@code none} without);
     * absent on a revision Helm, helm-controller or an older Sluice wrote.
     */
    static final String POST_RENDER_DIGEST = "sluice.io/post-render-digest";

    private static final String NO_POST_RENDER = "none";
    private static final String TYPE = "helm.sh/release.v1";
    private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b, 0x08};

    /**
     * A stored revision with what Sluice noted beside it (empty strings for one Helm itself wrote):
     * {@code created}, the inventory ids of the objects its apply created (not those it found and
     * updated), which are all that upgrade.cleanupOnFail may delete.
     */
    /**
     * @param postRenderDigest the {@link io.sluice.contracts.events.ChartRelease#postRenderDigest}
     *     the revision was made with, {@code ""} for none, null when not recorded (a revision Helm,
     *     helm-controller or an older Sluice wrote)
     */
    public record Stored(
            ReleaseRecord record,
            String attempt,
            String renderDigest,
            String configDigest,
            String postRenderDigest,
            boolean applied,
            Instant modified,
            List<String> created) {
        Stored with(ReleaseRecord changed) {
            return new Stored(
                    changed,
                    attempt,
                    renderDigest,
                    configDigest,
                    postRenderDigest,
                    applied,
                    modified,
                    created);
        }

        /** The same, its post-render digest recorded as {@code digest} (null: none). */
        Stored withPostRenderDigest(String digest) {
            return new Stored(
                    record,
                    attempt,
                    renderDigest,
                    configDigest,
                    digest == null ? "" : digest,
                    applied,
                    modified,
                    created);
        }

        /** Not fully applied, having created {@code createdIds} before it stopped. */
        Stored withCreated(List<String> createdIds) {
            return new Stored(
                    record,
                    attempt,
                    renderDigest,
                    configDigest,
                    postRenderDigest,
                    applied,
                    modified,
                    List.copyOf(createdIds));
        }

        Stored asApplied(List<String> createdIds) {
            return new Stored(
                    record,
                    attempt,
                    renderDigest,
                    configDigest,
                    postRenderDigest,
                    true,
                    modified,
                    List.copyOf(createdIds));
        }
    }

    private final KubernetesClient client;

    public ReleaseStorage(KubernetesClient client) {
        this.client = client;
    }

    /** Every stored revision of the release, oldest first. */
    public List<Stored> history(String namespace, String release) {
        return client
                .secrets()
                .inNamespace(namespace)
                .withLabels(Map.of("owner", "helm", "name", release))
                .list()
                .getItems()
                .stream()
                .filter(s -> TYPE.equals(s.getType()))
                .map(ReleaseStorage::decode)
                .sorted(Comparator.comparingInt(s -> s.record().version()))
                .toList();
    }

    public Optional<Stored> latest(String namespace, String release) {
        List<Stored> history = history(namespace, release);
        return history.isEmpty() ? Optional.empty() : Optional.of(history.get(history.size() - 1));
    }

    /**
     * Writes a revision: creates its Secret ({@code createdAt} label), or replaces the one of the
     * same version ({@code modifiedAt}, and whatever other labels it carries kept, as Helm keeps
     * custom release labels).
     */
    public void write(String namespace, Stored stored) {
        ReleaseRecord record = stored.record();
        String name = secretName(record.name(), record.version());
        Secret existing = client.secrets().inNamespace(namespace).withName(name).get();
        Map<String, String> labels =
                new HashMap<>(
                        existing == null || existing.getMetadata().getLabels() == null
                                ? Map.of()
                                : existing.getMetadata().getLabels());
        labels.put("name", record.name());
        labels.put("owner", "helm");
        labels.put("status", record.status());
        labels.put("version", Integer.toString(record.version()));
        labels.put(
                existing == null ? "createdAt" : "modifiedAt",
                Long.toString(Instant.now().getEpochSecond()));
        Secret secret =
                new SecretBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(namespace)
                        .withLabels(labels)
                        .withAnnotations(annotations(stored))
                        .endMetadata()
                        .withType(TYPE)
                        .addToData(
                                "release",
                                Base64.getEncoder()
                                        .encodeToString(
                                                encode(record).getBytes(StandardCharsets.US_ASCII)))
                        .build();
        client.secrets()
                .inNamespace(namespace)
                .resource(secret)
                .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
    }

    /** Rewrites a stored revision with a new status, keeping what Sluice noted beside it. */
    public void update(String namespace, Stored stored, ReleaseRecord record) {
        write(namespace, stored.with(record));
    }

    /** The revision noted as {@code attempt}'s, nothing else of it changed. */
    public Stored restamp(String namespace, Stored stored, String attempt) {
        client.secrets()
                .inNamespace(namespace)
                .withName(secretName(stored.record().name(), stored.record().version()))
                .edit(
                        s -> {
                            Map<String, String> annotations =
                                    new HashMap<>(
                                            s.getMetadata().getAnnotations() == null
                                                    ? Map.of()
                                                    : s.getMetadata().getAnnotations());
                            annotations.put(ATTEMPT, attempt);
                            s.getMetadata().setAnnotations(annotations);
                            return s;
                        });
        return new Stored(
                stored.record(),
                attempt,
                stored.renderDigest(),
                stored.configDigest(),
                stored.postRenderDigest(),
                stored.applied(),
                stored.modified(),
                stored.created());
    }

    private static Map<String, String> annotations(Stored stored) {
        Map<String, String> annotations = new HashMap<>();
        annotations.put(ATTEMPT, stored.attempt());
        annotations.put(RENDER_DIGEST, stored.renderDigest());
        annotations.put(CONFIG_DIGEST, stored.configDigest());
        annotations.put(APPLIED, Boolean.toString(stored.applied()));
        annotations.put(CREATED, String.join(",", stored.created()));
        if (stored.postRenderDigest() != null) {
            annotations.put(
                    POST_RENDER_DIGEST,
                    stored.postRenderDigest().isEmpty()
                            ? NO_POST_RENDER
                            : stored.postRenderDigest());
        }
        return annotations;
    }

    public void delete(String namespace, ReleaseRecord record) {
        client.secrets()
                .inNamespace(namespace)
                .withName(secretName(record.name(), record.version()))
                .delete();
    }

    static String secretName(String release, int version) {
        return "sh.helm.release.v1." + release + ".v" + version;
    }

    /** JSON, gzipped, base64: the string Helm keeps under the Secret's {@code release} key. */
    static String encode(ReleaseRecord record) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip =
                    new GZIPOutputStream(bytes) {
                        {
                            def.setLevel(Deflater.BEST_COMPRESSION);
                        }
                    }) {
                gzip.write(ReleaseRecord.JSON.writeValueAsBytes(record.json()));
            }
            return Base64.getEncoder().encodeToString(bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ReleaseRecord decode(String stored) {
        try {
            byte[] bytes = Base64.getDecoder().decode(stored);
            if (bytes.length >= 3
                    && bytes[0] == GZIP_MAGIC[0]
                    && bytes[1] == GZIP_MAGIC[1]
                    && bytes[2] == GZIP_MAGIC[2]) {
                try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                    bytes = gzip.readAllBytes();
                }
            }
            return new ReleaseRecord((ObjectNode) ReleaseRecord.JSON.readTree(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read a stored Helm release: " + e.getMessage(), e);
        }
    }

    private static Stored decode(Secret secret) {
        String data = secret.getData() == null ? null : secret.getData().get("release");
        if (data == null) {
            throw new IllegalStateException(
                    "Helm release Secret "
                            + secret.getMetadata().getName()
                            + " has no release data");
        }
        ReleaseRecord record =
                decode(new String(Base64.getDecoder().decode(data), StandardCharsets.US_ASCII));
        Map<String, String> annotations =
                secret.getMetadata().getAnnotations() == null
                        ? Map.of()
                        : secret.getMetadata().getAnnotations();
        Map<String, String> labels =
                secret.getMetadata().getLabels() == null
                        ? Map.of()
                        : secret.getMetadata().getLabels();
        String modifiedAt = labels.getOrDefault("modifiedAt", labels.get("createdAt"));
        Instant modified =
                modifiedAt == null
                        ? Instant.parse(secret.getMetadata().getCreationTimestamp())
                        : Instant.ofEpochSecond(Long.parseLong(modifiedAt));
        // a revision Helm or helm-controller wrote: its chart and values say what it released
        String configDigest =
                annotations.containsKey(CONFIG_DIGEST)
                        ? annotations.get(CONFIG_DIGEST)
                        : HelmValues.digest(record.config());
        String renderDigest =
                annotations.containsKey(RENDER_DIGEST)
                        ? annotations.get(RENDER_DIGEST)
                        : HelmReleaseReconciler.renderDigest(
                                record.chartName(), record.chartVersion(), configDigest);
        String postRenderDigest = annotations.get(POST_RENDER_DIGEST);
        return new Stored(
                record,
                annotations.getOrDefault(ATTEMPT, ""),
                renderDigest,
                configDigest,
                NO_POST_RENDER.equals(postRenderDigest) ? "" : postRenderDigest,
                Boolean.parseBoolean(annotations.get(APPLIED)),
                modified,
                annotations.getOrDefault(CREATED, "").isEmpty()
                        ? List.of()
                        : List.of(annotations.get(CREATED).split(",")));
    }
}
