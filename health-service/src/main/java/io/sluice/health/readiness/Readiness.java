package io.sluice.health.readiness;

/**
 * Whether one object is ready, and if not, why, in words a person can act on; {@code failed}: it
 * never will be (a terminal state, as kstatus' Failed), so waiting for it ends.
 */
public record Readiness(boolean ready, boolean failed, String message) {
    public static Readiness current() {
        return new Readiness(true, false, "ready");
    }

    public static Readiness notReady(String message) {
        return new Readiness(false, false, message);
    }

    public static Readiness failed(String message) {
        return new Readiness(false, true, message);
    }
}
