package io.sluice.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Function;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.UploadPack;

/**
 * The same bare repositories served over SSH (clone and fetch), as GitHub or GitLab serve them to a
 * Flux deploy key: public-key authentication only, for the keys {@link #authorize authorized}, and
 * a host key the client must find in its known_hosts.
 */
final class GitSshServer implements AutoCloseable {
    private final SshServer server;
    private final Set<PublicKey> authorized = new CopyOnWriteArraySet<>();

    GitSshServer(Path hostKey, Function<String, Repository> repositories) throws IOException {
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        SimpleGeneratorHostKeyProvider keys = new SimpleGeneratorHostKeyProvider(hostKey);
        keys.setAlgorithm(KeyUtils.EC_ALGORITHM);
        server.setKeyPairProvider(keys);
        // as GitHub and GitLab: the user is always "git"; the key says who it is
        server.setPublickeyAuthenticator(
                (user, key, session) ->
                        "git".equals(user)
                                && authorized.stream().anyMatch(k -> KeyUtils.compareKeys(k, key)));
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setCommandFactory(
                (channel, command) -> new UploadPackCommand(command, repositories));
        server.start();
    }

    /** Lets the holder of {@code key}'s private key in. */
    void authorize(PublicKey key) {
        authorized.add(key);
    }

    String url(String name) {
        return "ssh://git@127.0.0.1:" + server.getPort() + "/" + name;
    }

    /**
     * The known_hosts line for this server, as {@code ssh-keyscan} (and so Flux's CLI) writes it.
     */
    String knownHosts() throws Exception {
        PublicKey key = server.getKeyPairProvider().loadKeys(null).iterator().next().getPublic();
        return "[127.0.0.1]:" + server.getPort() + " " + PublicKeyEntry.toString(key);
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }

    /** {@code git-upload-pack '/name'}: serves a fetch with JGit's upload-pack. */
    private static final class UploadPackCommand implements Command, Runnable {
        private final String command;
        private final Function<String, Repository> repositories;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;

        UploadPackCommand(String command, Function<String, Repository> repositories) {
            this.command = command;
            this.repositories = repositories;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            Thread thread = new Thread(this, "git-ssh");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void run() {
            String[] parts = command.split(" ", 2);
            if (parts.length != 2 || !"git-upload-pack".equals(parts[0])) {
                exit.onExit(1, "only git-upload-pack is served");
                return;
            }
            String name = parts[1].replace("'", "").replaceFirst("^/", "");
            try (Repository repository = repositories.apply(name)) {
                new UploadPack(repository).upload(in, out, err);
                exit.onExit(0);
            } catch (RuntimeException | IOException e) {
                exit.onExit(1, String.valueOf(e.getMessage()));
            }
        }

        @Override
        public void destroy(ChannelSession channel) {}

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }
    }
}
