package io.sluice.cli.logs;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/** A service's log file, read a line at a time from a byte offset (whole lines only). */
final class LogFile {
    private final String service;
    private final Path file;

    LogFile(String service, Path file) {
        this.service = service;
        this.file = file;
    }

    /**
     * Gives each record from {@code offset} on to {@code each}; returns the offset after the last
     * whole line (a file that shrank, rotated, is read from its start).
     */
    long read(long offset, Consumer<LogLine> each) throws IOException {
        if (!Files.isRegularFile(file)) {
            return offset;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long position = channel.size() < offset ? 0 : offset;
            channel.position(position);
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            long read = position;
            int b;
            while ((b = in.read()) != -1) {
                read++;
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                LogLine.parse(service, line.toString(StandardCharsets.UTF_8)).ifPresent(each);
                line.reset();
                position = read;
            }
            return position;
        }
    }
}
