package io.sluice.cli.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFileTest {
    private static String record(String message) {
        return "{\"level\":\"info\",\"ts\":\"2026-11-29T08:00:00.000Z\",\"msg\":\""
                + message
                + "\"}";
    }

    @Test
    void aLineStillBeingWrittenIsReadOnceWholeAndARotatedFileFromItsStart(@TempDir Path dir)
            throws Exception {
        Path path = dir.resolve("apply-service.log");
        String two = record("two");
        int half = two.length() / 2;
        Files.writeString(path, record("one") + "\nnot json\n" + two.substring(0, half));
        LogFile file = new LogFile("apply-service", path);
        List<String> seen = new ArrayList<>();

        long offset = file.read(0, l -> seen.add(l.message()));
        assertThat(seen).containsExactly("one");

        Files.writeString(path, two.substring(half) + "\n", StandardOpenOption.APPEND);
        offset = file.read(offset, l -> seen.add(l.message()));
        assertThat(seen).containsExactly("one", "two");

        Files.writeString(path, record("rotated") + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        file.read(offset, l -> seen.add(l.message()));
        assertThat(seen).containsExactly("one", "two", "rotated");
    }
}
