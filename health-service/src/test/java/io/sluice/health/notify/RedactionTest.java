package io.sluice.health.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactionTest {
    @Test
    void everySecretValueIsHiddenAlsoWithoutItsNewline() {
        assertThat(
                        Redaction.mask(
                                "invalid header value: \"Bearer s3cr3t-pw\" for hunter2-user",
                                List.of("s3cr3t-pw\n", "hunter2-user", "ab")))
                .isEqualTo("invalid header value: \"Bearer *****\" for *****");
    }

    @Test
    void anAddressIsShownWithoutItsLogin() {
        assertThat(Redaction.url("https://flux:pa55@hooks.example.com/x?y=1"))
                .isEqualTo("https://hooks.example.com/x?y=1");
        assertThat(Redaction.url("https://hooks.example.com/x"))
                .isEqualTo("https://hooks.example.com/x");
    }
}
