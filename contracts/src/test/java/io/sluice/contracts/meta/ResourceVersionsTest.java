package io.sluice.contracts.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResourceVersionsTest {
    @Test
    void versionsAreComparedAsNumbers() {
        assertTrue(ResourceVersions.atLeast("1000", "999"), "not as strings");
        assertTrue(ResourceVersions.atLeast("42", "42"));
        assertFalse(ResourceVersions.atLeast("41", "42"));
        assertEquals("1000", ResourceVersions.later("999", "1000"));
        assertEquals("1000", ResourceVersions.later("1000", "999"));
    }

    @Test
    void versionsThatAreNotNumbersAreOnlyEqual() {
        assertTrue(ResourceVersions.atLeast("abc", "abc"));
        assertFalse(ResourceVersions.atLeast("abd", "abc"));
        assertEquals("abc", ResourceVersions.later("xyz", "abc"), "the newer one told");
    }

    @Test
    void anUnknownVersionGivesWayToAKnownOne() {
        assertEquals("7", ResourceVersions.later(null, "7"));
        assertEquals("7", ResourceVersions.later("7", null));
    }
}
