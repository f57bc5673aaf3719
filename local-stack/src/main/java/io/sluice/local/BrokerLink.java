package io.sluice.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The network between some clients and the broker, as a TCP relay on the port the broker's PROXIED
 * listener advertises: {@link #cut()} drops every connection through it and leaves new ones
 * unanswered (connected, nothing relayed, as across a partition that swallows packets) until {@link
 * #heal()}.
 */
public final class BrokerLink implements AutoCloseable {
    private final String bootstrapServers;
    private final InetSocketAddress broker;
    private final ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean cut;

    private BrokerLink(String bootstrapServers, InetSocketAddress broker, ServerSocket server) {
        this.bootstrapServers = bootstrapServers;
        this.broker = broker;
        this.server = server;
    }

    static BrokerLink open(String bootstrapServers, String listener) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port(bootstrapServers)));
        BrokerLink link =
                new BrokerLink(
                        bootstrapServers,
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), port(listener)),
                        server);
        daemon("broker-link", link::accept);
        return link;
    }

    /** Where a client bootstraps to reach the broker through this link. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Every connection through the link dropped; new ones are held, unanswered. */
    public void cut() {
        cut = true;
        closeAll();
    }

    /** Connections relayed again (those held while cut are closed: their clients reconnect). */
    public void heal() {
        closeAll();
        cut = false;
    }

    @Override
    public void close() throws IOException {
        server.close();
        closeAll();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                if (!cut) {
                    Socket upstream = new Socket(broker.getAddress(), broker.getPort());
                    open.add(upstream);
                    relay(client, upstream);
                    relay(upstream, client);
                }
            } catch (IOException e) {
                // closed, or the broker refused: the client sees its connection end
            }
        }
    }

    private void relay(Socket from, Socket to) {
        daemon(
                "broker-link-relay",
                () -> {
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        in.transferTo(out);
                    } catch (IOException e) {
                        // one side closed
                    } finally {
                        close(from);
                        close(to);
                    }
                });
    }

    private static void daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void closeAll() {
        List.copyOf(open).forEach(this::close);
    }

    private void close(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // closed already
        }
    }

    private static int port(String hostAndPort) {
        return Integer.parseInt(hostAndPort.substring(hostAndPort.lastIndexOf(':') + 1));
    }
}
