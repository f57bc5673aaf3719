package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {
    @Test
    void columnsArePaddedToTheirWidestCellAndSeparatedByTabsAsTheFluxCliPrints() {
        StringWriter text = new StringWriter();
        new Table("NAME", "READY", "MESSAGE")
                .row("apps", "True", "Applied revision: main@sha1:0e2e")
                .row("infrastructure", "False", null)
                .print(new PrintWriter(text));
        assertThat(text.toString())
                .isEqualTo(
                        "NAME          \tREADY\tMESSAGE\n"
                                + "apps          \tTrue \tApplied revision: main@sha1:0e2e\n"
                                + "infrastructure\tFalse\n");
    }
}
