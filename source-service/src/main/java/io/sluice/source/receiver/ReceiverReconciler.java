package io.sluice.source.receiver;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.contracts.meta.Annotations;
import io.sluice.contracts.meta.Conditions;
import io.sluice.contracts.meta.GoDuration;
import io.sluice.contracts.meta.Sha256;
import io.sluice.contracts.meta.StatusPatches;
import io.sluice.contracts.notification.Receiver;
import io.sluice.source.schedule.SourceOwners;
import io.sluice.source.schedule.SourceWatcher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gives each Receiver its webhook path as notification-controller does: {@code /hook/} and the
 * SHA-256 of the token (key {@code token} of {@code secretRef}), the name and the namespace; Ready
 * {@code Receiver initialized for path: …}, or {@code TokenNotFound} naming the Secret. Checked
 * again on a change, when asked, and every interval (default 10m), so a rotated token moves the
 * path. {@link ReceiverResource} serves the paths.
 */
@ApplicationScoped
public class ReceiverReconciler {
    static final Set<String> TYPES =
            Set.of(
                    "generic",
                    "generic-hmac",
                    "github",
                    "gitlab",
                    "bitbucket",
                    "harbor",
                    "nexus",
                    "quay",
                    "dockerhub",
                    "acr");

    private final KubernetesClient client;
    private final SourceWatcher<Receiver> watcher;

    /** Webhook path → receiver {@code namespace/name}, for the receivers that are Ready. */
    private final Map<String, String> paths = new ConcurrentHashMap<>();

    public ReceiverReconciler(KubernetesClient client) {
        this.client = client;
        this.watcher =
                new SourceWatcher<>(
                        client,
                        SourceOwners.everyReplica(),
                        Receiver.class,
                        Receiver.KIND,
                        1,
                        this::reconcile,
                        ref -> paths.values().remove(ref.namespace() + "/" + ref.name()));
    }

    void start(@Observes StartupEvent event) {
        watcher.start();
    }

    void stop(@Observes ShutdownEvent event) {
        watcher.close();
    }

    /** The Ready receiver a webhook path belongs to, read afresh. */
    Optional<Receiver> byPath(String path) {
        String key = paths.get(path);
        if (key == null) {
            return Optional.empty();
        }
        String[] parts = key.split("/", 2);
        return Optional.ofNullable(
                client.resources(Receiver.class).inNamespace(parts[0]).withName(parts[1]).get());
    }

    /** The token of a receiver's Secret, or empty (the message names what is missing). */
    Token token(Receiver receiver) {
        String namespace = receiver.getMetadata().getNamespace();
        if (receiver.getSpec().secretRef == null) {
            return Token.missing(
                    "secretRef is required for a receiver of type '"
                            + receiver.getSpec().type
                            + "'");
        }
        String name = receiver.getSpec().secretRef.getName();
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            return Token.missing(
                    "unable to read token from secret '" + namespace + "/" + name + "': not found");
        }
        String encoded = secret.getData() == null ? null : secret.getData().get("token");
        if (encoded == null) {
            return Token.missing(
                    "invalid '" + namespace + "/" + name + "' secret data: required field 'token'");
        }
        return new Token(
                new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8), null);
    }

    record Token(String value, String problem) {
        static Token missing(String problem) {
            return new Token(null, problem);
        }
    }

    Duration reconcile(Receiver receiver) {
        Duration interval = GoDuration.parse(receiver.getSpec().interval, Duration.ofMinutes(10));
        String key = receiver.getMetadata().getNamespace() + "/" + receiver.getMetadata().getName();
        paths.values().remove(key);
        Map<String, Object> status = new HashMap<>();
        boolean ready;
        String reason;
        String message;
        Token token = token(receiver);
        if (!TYPES.contains(receiver.getSpec().type)) {
            ready = false;
            reason = "ValidationFailed";
            message =
                    "receiver type '"
                            + receiver.getSpec().type
                            + "' is not supported by Sluice yet";
            status.put("webhookPath", null);
        } else if (token.value() == null) {
            ready = false;
            reason = "TokenNotFound";
            message = token.problem();
            status.put("webhookPath", null);
        } else {
            String path =
                    "/hook/"
                            + Sha256.hex(
                                    token.value()
                                            + receiver.getMetadata().getName()
                                            + receiver.getMetadata().getNamespace());
            ready = true;
            reason = "Succeeded";
            message = "Receiver initialized for path: " + path;
            status.put("webhookPath", path);
            paths.put(path, key);
        }
        long generation = receiver.getMetadata().getGeneration();
        status.put("observedGeneration", generation);
        status.put(
                "conditions",
                Conditions.set(
                        receiver.getStatus() == null ? null : receiver.getStatus().conditions,
                        Conditions.READY,
                        ready,
                        reason,
                        message,
                        generation));
        Map<String, String> annotations = receiver.getMetadata().getAnnotations();
        if (annotations != null && annotations.get(Annotations.REQUESTED_AT) != null) {
            status.put("lastHandledReconcileAt", annotations.get(Annotations.REQUESTED_AT));
        }
        StatusPatches.merge(
                client,
                Receiver.class,
                receiver.getMetadata().getNamespace(),
                receiver.getMetadata().getName(),
                status);
        // a receiver not ready yet (its Secret may be on its way) is checked again within 30 s
        Duration retry = Duration.ofSeconds(30);
        return ready || interval.compareTo(retry) < 0 ? interval : retry;
    }
}
