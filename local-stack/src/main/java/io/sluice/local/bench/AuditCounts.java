package io.sluice.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * API requests per client, watches not counted (one lasts minutes, and is logged when it ends),
 * from the API server's audit log (one JSON line per completed request): a Sluice service is known
 * by its service account, anything else by its user agent's program name (Flux's controllers,
 * kube-controller-manager, the benchmark's own fabric8 client).
 */
final class AuditCounts {
    private static final String SLUICE_ACCOUNT = "system:serviceaccount:flux-system:";

    private AuditCounts() {}

    static Map<String, Long> byClient(Path auditLog) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, Long> counts = new TreeMap<>();
        if (!Files.isRegularFile(auditLog)) {
            return counts;
        }
        try (BufferedReader lines = Files.newBufferedReader(auditLog)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                JsonNode event;
                try {
                    event = json.readTree(line);
                } catch (IOException partial) {
                    continue; // the last line, still being written
                }
                if (!"watch".equals(event.path("verb").asText())) {
                    counts.merge(client(event), 1L, Long::sum);
                }
            }
        }
        return counts;
    }

    private static String client(JsonNode event) {
        String user = event.path("user").path("username").asText("");
        if (user.startsWith(SLUICE_ACCOUNT)) {
            return user.substring(SLUICE_ACCOUNT.length());
        }
        String agent = event.path("userAgent").asText("?");
        int slash = agent.indexOf('/');
        return slash > 0 ? agent.substring(0, slash) : agent;
    }
}
