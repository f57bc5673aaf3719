package io.sluice.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.ReceivePack;

/**
 * Bare Git repositories served over smart HTTP (clone, fetch and push) and SSH (clone and fetch),
 * as a Git host serves them to Flux.
 */
public final class GitServer implements AutoCloseable {
    private final Path root;
    private final Server server;
    private final GitSshServer ssh;

    public GitServer(Path root) throws Exception {
        this.root = Files.createDirectories(root);
        GitServlet servlet = new GitServlet();
        servlet.setRepositoryResolver((request, name) -> open(name));
        servlet.setReceivePackFactory((request, repository) -> new ReceivePack(repository));
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(servlet), "/git/*");
        server = new Server(new InetSocketAddress("127.0.0.1", 0));
        server.setHandler(context);
        server.start();
        ssh =
                new GitSshServer(
                        root.resolve("ssh_host_key"),
                        name -> {
                            try {
                                return open(name);
                            } catch (RepositoryNotFoundException e) {
                                throw new IllegalArgumentException(e.getMessage(), e);
                            }
                        });
    }

    /** The repository's {@code ssh://} URL. */
    public String sshUrl(String name) {
        return ssh.url(name);
    }

    /** Lets the holder of {@code key}'s private key fetch over SSH. */
    public void authorize(PublicKey key) {
        ssh.authorize(key);
    }

    /** The SSH server's known_hosts line. */
    public String knownHosts() throws Exception {
        return ssh.knownHosts();
    }

    /** Creates an empty bare repository and returns its URL. */
    public String create(String name) throws Exception {
        Git.init()
                .setBare(true)
                .setInitialBranch("main")
                .setDirectory(root.resolve(name + ".git").toFile())
                .call()
                .close();
        return url(name);
    }

    public String url(String name) {
        return "http://127.0.0.1:" + server.getURI().getPort() + "/git/" + name;
    }

    private Repository open(String name) throws RepositoryNotFoundException {
        Path dir = root.resolve(name.endsWith(".git") ? name : name + ".git").normalize();
        if (!dir.startsWith(root) || !Files.isDirectory(dir)) {
            throw new RepositoryNotFoundException(name);
        }
        try {
            return new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
        } catch (IOException e) {
            throw new RepositoryNotFoundException(name, e);
        }
    }

    @Override
    public void close() throws Exception {
        ssh.close();
        server.stop();
    }
}
