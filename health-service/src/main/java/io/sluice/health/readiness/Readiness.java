package io.sluice.health.readiness;

/** Whether one object is ready, and if not, why, in words a person can act on. */
public record Readiness(boolean ready, String message) {
    public static Readiness current() {
        return new Readiness(true, "ready");
    }

    public static Readiness notReady(String message) {
        return new Readiness(false, message);
    }
}
