package io.sluice.contracts.logging;

import io.sluice.contracts.events.ObjectRef;
import org.jboss.logging.MDC;

/**
 * The object and revision a thread's log records are about, until {@link #close()}: the MDC keys
 * {@link FluxLogFormatter} writes as Flux's {@code controllerKind}, {@code namespace}, {@code name}
 * and {@code revision}. Closing puts back what the keys held before, so contexts nest. Close it
 * after any {@code catch} that logs (a {@code finally}, not try-with-resources, which closes
 * first).
 */
public final class ObjectLogContext implements AutoCloseable {
    private static final String OBJECT = "object";
    private static final String REVISION = "revision";
    private final Object previousObject;
    private final Object previousRevision;

    private ObjectLogContext(Object previousObject, Object previousRevision) {
        this.previousObject = previousObject;
        this.previousRevision = previousRevision;
    }

    /** {@code revision} may be null: not known yet, and no earlier one kept. */
    public static ObjectLogContext of(ObjectRef object, String revision) {
        ObjectLogContext context = new ObjectLogContext(MDC.get(OBJECT), MDC.get(REVISION));
        MDC.put(OBJECT, object.key());
        if (revision == null) {
            MDC.remove(REVISION);
        } else {
            MDC.put(REVISION, revision);
        }
        return context;
    }

    @Override
    public void close() {
        restore(OBJECT, previousObject);
        restore(REVISION, previousRevision);
    }

    private static void restore(String key, Object previous) {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }
}
