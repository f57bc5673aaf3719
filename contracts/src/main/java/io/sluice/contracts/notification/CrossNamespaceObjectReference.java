package io.sluice.contracts.notification;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/** An object a Receiver triggers or an Alert listens to: by name, or {@code *} with labels. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class CrossNamespaceObjectReference {
    public String apiVersion;
    public String kind;

    /** A name, or {@code *} with {@code matchLabels}. */
    public String name;

    /** The referring object's namespace when empty. */
    public String namespace;

    public Map<String, String> matchLabels;
}
