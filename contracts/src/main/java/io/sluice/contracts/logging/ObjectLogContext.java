package io.sluice.contracts.logging;

import io.sluice.contracts.events.ObjectRef;
import org.jboss.logging.MDC;

/**
 * The object and revision a thread's log records are about, for as long as it is open ({@code
 * try}-with-resources): the MDC keys {@link FluxLogFormatter} writes as Flux's {@code
 * controllerKind}, {@code namespace}, {@code name} and {@code revision}.
 */
public final class ObjectLogContext implements AutoCloseable {
    private ObjectLogContext() {}

    public static ObjectLogContext of(ObjectRef object, String revision) {
        MDC.put("object", object.key());
        if (revision != null) {
            MDC.put("revision", revision);
        }
        return new ObjectLogContext();
    }

    @Override
    public void close() {
        MDC.remove("object");
        MDC.remove("revision");
    }
}
