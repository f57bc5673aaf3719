package io.sluice.local.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A process's cost as Linux counts it, with its child processes' (render-service's kustomize
 * workers, its helm and sops): CPU seconds (user + system) and peak resident memory. Reads the
 * {@code <run-dir>/pids} files that the launchers in deploy/local write ("pid name" lines).
 */
final class ProcessFigures {
    /** The kernel's clock ticks per second (USER_HZ), 100 on every Linux this runs on. */
    private static final double TICKS = 100.0;

    private ProcessFigures() {}

    /** The processes a launcher recorded in {@code runDir}, by name (the latest of a name). */
    static Map<String, Long> recorded(Path runDir) throws IOException {
        Map<String, Long> pids = new LinkedHashMap<>();
        Path file = runDir.resolve("pids");
        if (Files.isRegularFile(file)) {
            for (String line : Files.readAllLines(file)) {
                String[] fields = line.strip().split(" ", 2);
                if (fields.length == 2) {
                    pids.put(fields[1], Long.parseLong(fields[0]));
                }
            }
        }
        return pids;
    }

    /**
     * User plus system CPU time so far, in seconds, of the process, its running descendants and the
     * children it has waited for; 0 for a process that is gone.
     */
    static double cpuSeconds(long pid) {
        return ownCpuSeconds(pid, true)
                + descendants(pid).mapToDouble(child -> ownCpuSeconds(child, false)).sum();
    }

    /** Peak resident memory (VmHWM) in MiB of the process plus its running descendants'. */
    static long peakRssMiB(long pid) {
        return ownPeakRssMiB(pid) + descendants(pid).map(ProcessFigures::ownPeakRssMiB).sum();
    }

    private static java.util.stream.LongStream descendants(long pid) {
        return ProcessHandle.of(pid).stream()
                .flatMap(ProcessHandle::descendants)
                .mapToLong(ProcessHandle::pid);
    }

    private static double ownCpuSeconds(long pid, boolean withWaitedChildren) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // the command name (field 2) may hold spaces: count fields after its closing
            // parenthesis
            List<String> fields = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
            long ticks = Long.parseLong(fields.get(11)) + Long.parseLong(fields.get(12));
            if (withWaitedChildren) {
                ticks += Long.parseLong(fields.get(13)) + Long.parseLong(fields.get(14));
            }
            return ticks / TICKS;
        } catch (IOException e) {
            return 0;
        }
    }

    private static long ownPeakRssMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException e) {
            // gone
        }
        return 0;
    }
}
