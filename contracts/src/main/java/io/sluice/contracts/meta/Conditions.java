package io.sluice.contracts.meta;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sets a condition as Kubernetes expects: lastTransitionTime moves only when the status changes.
 */
public final class Conditions {
    public static final String READY = "Ready";

    /** A condition's status while the outcome is not known yet. */
    public static final String UNKNOWN = "Unknown";

    /** helm-controller's: the outcome of the last install or upgrade. */
    public static final String RELEASED = "Released";

    /** helm-controller's: the outcome of the last remediation (rollback or uninstall). */
    public static final String REMEDIATED = "Remediated";

    /** helm-controller's: the outcome of the last run of the chart's tests ({@code spec.test}). */
    public static final String TEST_SUCCESS = "TestSuccess";

    /** Set when retrying cannot help (retries spent); removed once Ready again. */
    public static final String STALLED = "Stalled";

    /**
     * Flux's condition schema caps a message at this length; a longer one would fail the whole
     * status write.
     */
    static final int MAX_MESSAGE = 32768;

    private Conditions() {}

    public static List<Condition> set(
            List<Condition> existing,
            String type,
            boolean status,
            String reason,
            String message,
            long observedGeneration) {
        return set(existing, type, status ? "True" : "False", reason, message, observedGeneration);
    }

    /** As above, with the status as text ({@code True}, {@code False}, {@code Unknown}). */
    public static List<Condition> set(
            List<Condition> existing,
            String type,
            String statusText,
            String reason,
            String message,
            long observedGeneration) {
        List<Condition> result = new ArrayList<>(existing == null ? List.of() : existing);
        Optional<Condition> previous = find(result, type);
        String transition =
                previous.filter(c -> statusText.equals(c.getStatus()))
                        .map(Condition::getLastTransitionTime)
                        .orElse(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        previous.ifPresent(result::remove);
        result.add(
                new ConditionBuilder()
                        .withType(type)
                        .withStatus(statusText)
                        .withReason(reason)
                        .withMessage(capped(message))
                        .withObservedGeneration(observedGeneration)
                        .withLastTransitionTime(transition)
                        .build());
        return result;
    }

    private static String capped(String message) {
        if (message == null) {
            return "";
        }
        return message.length() <= MAX_MESSAGE
                ? message
                : message.substring(0, MAX_MESSAGE - 3) + "...";
    }

    /** {@code existing} without the condition of {@code type}. */
    public static List<Condition> remove(List<Condition> existing, String type) {
        return existing == null
                ? List.of()
                : existing.stream().filter(c -> !type.equals(c.getType())).toList();
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null
                ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(c -> "True".equals(c.getStatus())).orElse(false);
    }
}
