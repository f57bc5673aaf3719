package io.sluice.contracts.meta;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the Go duration strings Flux specs use ({@code 1m}, {@code 10m0s}, {@code 1h30m}, {@code
 * 500ms}).
 */
public final class GoDuration {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private GoDuration() {}

    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration");
        }
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = PART.matcher(text);
        double nanos = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                break;
            }
            nanos += Double.parseDouble(m.group(1)) * unitNanos(m.group(2));
            end = m.end();
        }
        if (end != text.length()) {
            throw new IllegalArgumentException("invalid duration '" + text + "'");
        }
        return Duration.ofNanos((long) nanos);
    }

    public static Duration parse(String text, Duration fallback) {
        return text == null || text.isBlank() ? fallback : parse(text);
    }

    /** As Go prints a duration: {@code 5m0s}, {@code 1h0m0s}, {@code 30s}, {@code 500ms}. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis == 0) {
            return "0s";
        }
        if (millis < 1000) {
            return millis + "ms";
        }
        long hours = duration.toHours();
        int minutes = duration.toMinutesPart();
        String seconds =
                duration.toMillisPart() == 0
                        ? Integer.toString(duration.toSecondsPart())
                        : java.math.BigDecimal.valueOf(
                                        duration.toSecondsPart() * 1000L + duration.toMillisPart(),
                                        3)
                                .stripTrailingZeros()
                                .toPlainString();
        if (hours > 0) {
            return hours + "h" + minutes + "m" + seconds + "s";
        }
        return minutes > 0 ? minutes + "m" + seconds + "s" : seconds + "s";
    }

    private static double unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1;
            case "us", "µs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            default -> 3600e9;
        };
    }
}
