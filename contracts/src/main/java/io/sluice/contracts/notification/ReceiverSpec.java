package io.sluice.contracts.notification;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import java.util.List;
import java.util.Map;

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

    public List<Resource> resources;

    /** The Secret whose {@code token} key makes the webhook path (and signs the payloads). */
    public LocalObjectReference secretRef;

    public Boolean suspend;

    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class Resource {
        public String apiVersion;
        public String kind;

        /** A name, or {@code *} with {@code matchLabels}. */
        public String name;

        public String namespace;
        public Map<String, String> matchLabels;
    }
}
