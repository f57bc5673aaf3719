package io.sluice.health.notify;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.sluice.contracts.notification.Alert;
import io.sluice.contracts.notification.CrossNamespaceObjectReference;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Whether an Alert wants an event, by notification-controller's rules: not suspended; an event
 * source of the same kind and namespace (the Alert's when empty), name or {@code *}, and labels
 * when it has {@code matchLabels}; severity {@code info} takes every event, {@code error} only
 * errors; the message matches the inclusion list (when there is one) and no entry of the exclusion
 * list, which wins. The expressions are Go's (RE2: the same syntax, and linear time on long
 * messages); one that does not compile is skipped and complained about.
 */
final class AlertMatcher {
    /** Where the matcher reports a fault of the Alert (a Warning event on it, in Flux). */
    interface Complaints {
        void warn(Alert alert, String reason, String message);
    }

    private final Complaints complaints;
    private final Map<String, Pattern> compiled = new ConcurrentHashMap<>();

    AlertMatcher(Complaints complaints) {
        this.complaints = complaints;
    }

    /**
     * @param labels the involved object's labels, empty when it could not be read; asked only when
     *     an event source has {@code matchLabels}
     */
    boolean matches(Alert alert, FluxEvent event, Supplier<Optional<Map<String, String>>> labels) {
        var spec = alert.getSpec();
        if (spec == null || Boolean.TRUE.equals(spec.suspend) || spec.eventSources == null) {
            return false;
        }
        boolean sourced =
                spec.eventSources.stream().anyMatch(s -> sourceMatches(alert, s, event, labels));
        return sourced
                && included(alert, spec.inclusionList, event.message())
                && !excluded(alert, spec.exclusionList, event.message());
    }

    private boolean sourceMatches(
            Alert alert,
            CrossNamespaceObjectReference source,
            FluxEvent event,
            Supplier<Optional<Map<String, String>>> labels) {
        FluxEvent.InvolvedObject involved = event.involvedObject();
        String namespace =
                source.namespace == null || source.namespace.isEmpty()
                        ? alert.getMetadata().getNamespace()
                        : source.namespace;
        String severity = alert.getSpec().eventSeverity;
        if (!involved.namespace().equals(namespace) || !involved.kind().equals(source.kind)) {
            return false;
        }
        if (severity != null
                && !severity.isEmpty()
                && !severity.equals(FluxEvent.INFO)
                && !severity.equals(event.severity())) {
            return false;
        }
        if (!"*".equals(source.name) && !involved.name().equals(source.name)) {
            return false;
        }
        if (source.matchLabels == null) {
            return true;
        }
        Optional<Map<String, String>> found = labels.get();
        if (found.isEmpty()) {
            complaints.warn(
                    alert,
                    "SourceFetchFailed",
                    "error getting source object "
                            + involved.kind()
                            + "/"
                            + involved.namespace()
                            + "/"
                            + involved.name());
            return false;
        }
        return found.get().entrySet().containsAll(source.matchLabels.entrySet());
    }

    private boolean included(Alert alert, List<String> inclusions, String message) {
        return inclusions == null
                || inclusions.isEmpty()
                || inclusions.stream().anyMatch(e -> find(alert, "inclusion", e, message));
    }

    private boolean excluded(Alert alert, List<String> exclusions, String message) {
        return exclusions != null
                && exclusions.stream().anyMatch(e -> find(alert, "exclusion", e, message));
    }

    private boolean find(Alert alert, String list, String expression, String message) {
        try {
            if (compiled.size() > 1000) {
                compiled.clear(); // expressions of Alerts since changed or deleted
            }
            return compiled.computeIfAbsent(expression, Pattern::compile).matcher(message).find();
        } catch (PatternSyntaxException e) {
            complaints.warn(
                    alert, "InvalidConfig", "failed to compile " + list + " regex: " + expression);
            return false;
        }
    }
}
