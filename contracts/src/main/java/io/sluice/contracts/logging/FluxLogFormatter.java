package io.sluice.contracts.logging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Level;
import org.jboss.logmanager.ExtFormatter;
import org.jboss.logmanager.ExtLogRecord;

/**
 * One JSON line per record, in the shape Flux's controllers log (zap through controller-runtime):
 * {@code level}, {@code ts}, {@code logger}, {@code msg}, the object as {@code controllerKind},
 * {@code namespace} and {@code name}, {@code revision}, {@code error}. {@code flux logs} reads
 * these keys to print, and to filter by {@code --kind}, {@code --name}, {@code -n} and {@code
 * --level}. The object comes from the MDC's {@code object} ({@code Kind/namespace/name}, as the
 * services put it there for the length of a reconcile).
 */
public final class FluxLogFormatter extends ExtFormatter {
    private static final JsonFactory JSON = new JsonFactory();
    // zap's ISO8601 time encoder, as Flux configures it: milliseconds, UTC
    private static final DateTimeFormatter TS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Override
    public String format(ExtLogRecord record) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("level", level(record.getLevel()));
            json.writeStringField("ts", TS.format(record.getInstant()));
            json.writeStringField("logger", record.getLoggerName());
            json.writeStringField("msg", formatMessage(record));
            String object = record.getMdc("object");
            if (object != null) {
                String[] parts = object.split("/", 3);
                if (parts.length == 3) {
                    json.writeStringField("controllerKind", parts[0]);
                    json.writeStringField("namespace", parts[1]);
                    json.writeStringField("name", parts[2]);
                }
            }
            writeMdc(json, record, "revision");
            writeMdc(json, record, "traceId");
            writeMdc(json, record, "spanId");
            Throwable thrown = record.getThrown();
            if (thrown != null) {
                json.writeStringField("error", String.valueOf(thrown));
                StringWriter trace = new StringWriter();
                thrown.printStackTrace(new PrintWriter(trace));
                json.writeStringField("stacktrace", trace.toString());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.append('\n').toString();
    }

    /** No caller class or line is written: an async handler need not walk each record's stack. */
    @Override
    public boolean isCallerCalculationRequired() {
        return false;
    }

    /**
     * Flux's three levels, the only ones {@code flux logs --level} accepts: a warning here is a
     * failure that is retried, which Flux's controllers log as an error.
     */
    static String level(Level level) {
        int value = level.intValue();
        if (value >= org.jboss.logmanager.Level.WARN.intValue()) {
            return "error";
        }
        return value >= Level.INFO.intValue() ? "info" : "debug";
    }

    private static void writeMdc(JsonGenerator json, ExtLogRecord record, String key)
            throws IOException {
        String value = record.getMdc(key);
        if (value != null && !value.isEmpty()) {
            json.writeStringField(key, value);
        }
    }
}
