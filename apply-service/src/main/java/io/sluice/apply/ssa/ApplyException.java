package io.sluice.apply.ssa;

import io.sluice.contracts.events.AppliedObject;
import java.util.List;

/**
 * The API server refused an object; the message names the object and the server's reason. {@code
 * applied}: what the apply had written before it stopped (Helm's cleanupOnFail deletes what of it
 * was created).
 */
public class ApplyException extends Exception {
    private final List<AppliedObject> applied;

    public ApplyException(String message, Throwable cause) {
        this(message, cause, List.of());
    }

    private ApplyException(String message, Throwable cause, List<AppliedObject> applied) {
        super(message, cause);
        this.applied = applied;
    }

    /** This failure, of an apply that had written {@code applied} first. */
    public ApplyException after(List<AppliedObject> applied) {
        return new ApplyException(getMessage(), getCause(), List.copyOf(applied));
    }

    public List<AppliedObject> applied() {
        return applied;
    }
}
