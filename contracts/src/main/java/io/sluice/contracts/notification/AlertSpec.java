package io.sluice.contracts.notification;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import java.util.List;
import java.util.Map;

@JsonIgnoreProperties(ignoreUnknown = true)
public class AlertSpec {
    public LocalObjectReference providerRef;

    /** {@code info} (every event) or {@code error}; {@code info} when empty. */
    public String eventSeverity;

    public List<CrossNamespaceObjectReference> eventSources;

    /** Regular expressions; an event whose message matches none of them is dropped. */
    public List<String> inclusionList;

    public Map<String, String> eventMetadata;

    /** Regular expressions; an event whose message matches one of them is dropped. */
    public List<String> exclusionList;

    /** Deprecated in Flux for {@code eventMetadata.summary}, still honoured. */
    public String summary;

    public Boolean suspend;
}
