package io.sluice.contracts.logging;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.logging.Handler;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.formatters.JsonFormatter;
import org.jboss.logmanager.handlers.ConsoleHandler;

/**
 * Where the console writes JSON ({@code quarkus.log.console.json.enabled}), it writes it in Flux's
 * shape ({@link FluxLogFormatter}) from startup on, so that {@code flux logs} reads the services'
 * pods as it reads Flux's controllers. Quarkus offers no setting for a formatter of one's own, so
 * the JSON formatter it configured is swapped (so the console's other {@code json.*} settings, but
 * the key overrides, have no effect after startup); the few lines logged before are in Quarkus's
 * JSON, its keys renamed to Flux's by {@code quarkus.log.console.json.key-overrides}.
 */
@ApplicationScoped
public class FluxLogFormat {
    void install(@Observes @Priority(1) StartupEvent started) {
        swap(LogContext.getLogContext().getLogger("").getHandlers());
    }

    private static void swap(Handler[] handlers) {
        for (Handler handler : handlers) {
            // the console's only: a JSON file or socket handler keeps the shape it was given
            if (handler instanceof ConsoleHandler
                    && handler.getFormatter() instanceof JsonFormatter) {
                handler.setFormatter(new FluxLogFormatter());
            }
            if (handler instanceof ExtHandler nested) {
                swap(nested.getHandlers());
            }
        }
    }
}
