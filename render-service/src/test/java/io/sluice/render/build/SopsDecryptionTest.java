package io.sluice.render.build;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SopsDecryptionTest {
    @Test
    void aValueSopsQuotesInItsErrorIsRedacted() {
        String message =
                SopsDecryption.redacted(
                        "decryption of Secret/db failed: Error walking tree: Could not decrypt"
                                + " value: Input string hunter2-in-clear does not match sops'"
                                + " data format");
        assertThat(message)
                .doesNotContain("hunter2")
                .endsWith("Input string <redacted> does not match sops' data format");
    }

    @Test
    void formatsAreChosenByNameAsFluxChoosesThem() {
        assertThat(SopsDecryption.format("secret.env")).isEqualTo("dotenv");
        assertThat(SopsDecryption.format("values.yml")).isEqualTo("yaml");
        assertThat(SopsDecryption.format(".dockerconfigjson")).isEqualTo("json");
        assertThat(SopsDecryption.format("app.ini")).isEqualTo("ini");
        assertThat(SopsDecryption.format("token")).isEqualTo("binary");
    }
}
