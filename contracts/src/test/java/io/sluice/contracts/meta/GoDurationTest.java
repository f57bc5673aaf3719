package io.sluice.contracts.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {
    @Test
    void parsesTheFormsFluxSpecsUse() {
        assertEquals(Duration.ofMinutes(1), GoDuration.parse("1m"));
        assertEquals(Duration.ofMinutes(10), GoDuration.parse("10m0s"));
        assertEquals(Duration.ofMinutes(90), GoDuration.parse("1h30m"));
        assertEquals(Duration.ofMillis(500), GoDuration.parse("500ms"));
        assertEquals(Duration.ofMillis(1500), GoDuration.parse("1.5s"));
        assertEquals(Duration.ZERO, GoDuration.parse("0"));
    }

    @Test
    void refusesWhatGoRefuses() {
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("10"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("1m junk"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("m"));
    }

    @Test
    void fallsBackOnlyWhenAbsent() {
        assertEquals(Duration.ofSeconds(30), GoDuration.parse(null, Duration.ofSeconds(30)));
        assertEquals(Duration.ofSeconds(5), GoDuration.parse("5s", Duration.ofSeconds(30)));
    }

    @Test
    void printsAsGoPrints() {
        assertEquals("5m0s", GoDuration.format(Duration.ofMinutes(5)));
        assertEquals("1h0m0s", GoDuration.format(Duration.ofHours(1)));
        assertEquals("1h30m5s", GoDuration.format(Duration.ofSeconds(5405)));
        assertEquals("30s", GoDuration.format(Duration.ofSeconds(30)));
        assertEquals("1.5s", GoDuration.format(Duration.ofMillis(1500)));
        assertEquals("500ms", GoDuration.format(Duration.ofMillis(500)));
        assertEquals("0s", GoDuration.format(Duration.ZERO));
    }
}
