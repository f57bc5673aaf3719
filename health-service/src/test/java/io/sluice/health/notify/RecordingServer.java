package io.sluice.health.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server on loopback standing in for Slack, GitHub and the like: records every request
 * and answers from a queue of replies (200 with an empty JSON list when the queue is empty).
 */
public final class RecordingServer implements AutoCloseable {
    public record Recorded(
            String method, String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }
    }

    /** An answer; {@code stall}: the headers, then nothing (the body never ends). */
    public record Reply(int status, String body, Map<String, String> headers, boolean stall) {}

    private final HttpServer server;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final Deque<Reply> replies = new ArrayDeque<>();

    public RecordingServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    String body =
                            new String(
                                    exchange.getRequestBody().readAllBytes(),
                                    StandardCharsets.UTF_8);
                    requests.add(
                            new Recorded(
                                    exchange.getRequestMethod(),
                                    exchange.getRequestURI().getRawPath()
                                            + (exchange.getRequestURI().getRawQuery() == null
                                                    ? ""
                                                    : "?" + exchange.getRequestURI().getRawQuery()),
                                    Map.copyOf(exchange.getRequestHeaders()),
                                    body));
                    Reply reply;
                    synchronized (replies) {
                        reply =
                                replies.isEmpty()
                                        ? new Reply(200, "[]", Map.of(), false)
                                        : replies.poll();
                    }
                    reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                    byte[] answer = reply.body().getBytes(StandardCharsets.UTF_8);
                    if (reply.stall()) {
                        exchange.sendResponseHeaders(reply.status(), 1_000);
                        exchange.getResponseBody().flush();
                        return; // the exchange stays open, its body never sent
                    }
                    exchange.sendResponseHeaders(
                            reply.status(), answer.length == 0 ? -1 : answer.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(answer);
                    }
                });
        server.start();
    }

    public RecordingServer reply(int status, String body) {
        return reply(status, body, Map.of());
    }

    public RecordingServer reply(int status, String body, Map<String, String> headers) {
        synchronized (replies) {
            replies.add(new Reply(status, body, headers, false));
        }
        return this;
    }

    /** The next answer is 200's headers and then silence. */
    public RecordingServer stallAfterHeaders() {
        synchronized (replies) {
            replies.add(new Reply(200, "", Map.of(), true));
        }
        return this;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
