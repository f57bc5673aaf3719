package io.sluice.contracts.notification;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import java.util.List;

@JsonIgnoreProperties(ignoreUnknown = true)
public class ReceiverSpec {
    /** {@code generic}, {@code generic-hmac}, {@code github}, {@code gitlab}, … */
    public String type;

    public String interval;

    /**
     * The event types accepted (GitHub's {@code X-GitHub-Event}, GitLab's {@code X-Gitlab-Event});
     * all when empty.
     */
    public List<String> events;

    public List<CrossNamespaceObjectReference> resources;

    /** The Secret whose {@code token} key makes the webhook path (and signs the payloads). */
    public LocalObjectReference secretRef;

    public Boolean suspend;
}
