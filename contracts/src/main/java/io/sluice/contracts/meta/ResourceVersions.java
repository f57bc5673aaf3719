package io.sluice.contracts.meta;

/**
 * Resource versions compared as the API server's are: numbers (etcd's revision, one sequence for
 * every object), and as equal strings only when either is not a number.
 */
public final class ResourceVersions {
    private ResourceVersions() {}

    /** Whether {@code version} is {@code floor} or later. */
    public static boolean atLeast(String version, String floor) {
        try {
            return Long.parseLong(version) >= Long.parseLong(floor);
        } catch (NumberFormatException e) {
            return version.equals(floor);
        }
    }

    /**
     * The later of two versions (either may be null); {@code next} when they cannot be compared.
     */
    public static String later(String current, String next) {
        if (current == null) {
            return next;
        }
        if (next == null) {
            return current;
        }
        try {
            return Long.parseLong(next) >= Long.parseLong(current) ? next : current;
        } catch (NumberFormatException e) {
            return next;
        }
    }
}
