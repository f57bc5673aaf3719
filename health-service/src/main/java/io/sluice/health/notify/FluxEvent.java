package io.sluice.health.notify;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * An event as Flux's controllers post it to notification-controller ({@code eventv1.Event}), in its
 * JSON field order: the body a generic Provider receives, and what every other Provider's payload
 * is made from. {@code metadata} holds the keys without their API group prefix, as
 * notification-controller forwards them.
 */
@JsonPropertyOrder({
    "involvedObject",
    "severity",
    "timestamp",
    "message",
    "reason",
    "metadata",
    "reportingController",
    "reportingInstance"
})
public record FluxEvent(
        InvolvedObject involvedObject,
        String severity,
        String timestamp,
        String message,
        String reason,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> metadata,
        String reportingController,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) String reportingInstance) {

    public static final String INFO = "info";
    public static final String ERROR = "error";

    @JsonPropertyOrder({"kind", "namespace", "name", "uid", "apiVersion"})
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record InvolvedObject(
            String kind, String namespace, String name, String uid, String apiVersion) {}

    /** {@code kustomization/podinfo.flux-system}: how Flux's chat payloads name the object. */
    public String objectName() {
        return involvedObject.kind().toLowerCase(java.util.Locale.ROOT)
                + "/"
                + involvedObject.name()
                + "."
                + involvedObject.namespace();
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isError() {
        return ERROR.equals(severity);
    }

    public FluxEvent withUid(String uid) {
        return new FluxEvent(
                new InvolvedObject(
                        involvedObject.kind(),
                        involvedObject.namespace(),
                        involvedObject.name(),
                        uid,
                        involvedObject.apiVersion()),
                severity,
                timestamp,
                message,
                reason,
                metadata,
                reportingController,
                reportingInstance);
    }

    public FluxEvent withMetadata(Map<String, String> merged) {
        return new FluxEvent(
                involvedObject,
                severity,
                timestamp,
                message,
                reason,
                merged,
                reportingController,
                reportingInstance);
    }

    /**
     * The revision a commit status is for: {@code commit}, else {@code originRevision}, else {@code
     * revision}, as Flux's {@code Event.GetRevision}.
     */
    public java.util.Optional<String> revision() {
        for (String key : new String[] {"commit", "originRevision", "revision"}) {
            if (metadata != null && metadata.containsKey(key)) {
                return java.util.Optional.of(metadata.get(key));
            }
        }
        return java.util.Optional.empty();
    }
}
