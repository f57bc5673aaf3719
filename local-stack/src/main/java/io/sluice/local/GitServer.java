package io.sluice.local;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Base64;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
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
 * as a Git host serves them to Flux; under {@code /private/} the same repositories ask for a login
 * (HTTP basic auth or a bearer token, as a Git host's access tokens are used).
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
        context.addServlet(new ServletHolder(servlet), "/private/*");
        context.addFilter(
                new FilterHolder(new LoginFilter()),
                "/private/*",
                EnumSet.of(DispatcherType.REQUEST));
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

    /**
     * The URL of a repository that asks for a login: {@link #BASIC}, {@link #BEARER_TOKEN} or
     * {@link #APP_INSTALLATION_TOKEN}.
     */
    public String privateUrl(String name) {
        return "http://127.0.0.1:" + server.getURI().getPort() + "/private/" + name;
    }

    /** The login {@link #privateUrl} accepts with basic auth ({@code user:password}). */
    public static final String BASIC = "flux:deploy-password-41c7";

    /** The bearer token {@link #privateUrl} accepts. */
    public static final String BEARER_TOKEN = "glpat-token-6d02b";

    /**
     * A GitHub App installation token {@link #privateUrl} accepts as GitHub does: the basic-auth
     * password of {@code x-access-token}.
     */
    public static final String APP_INSTALLATION_TOKEN = "ghs_installation-token-8c3d";

    /** Lets through only the logins above; else 401 with a Basic challenge, as Git hosts answer. */
    private static final class LoginFilter implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            String header = ((HttpServletRequest) request).getHeader("Authorization");
            if (basic(BASIC).equals(header)
                    || basic("x-access-token:" + APP_INSTALLATION_TOKEN).equals(header)
                    || ("Bearer " + BEARER_TOKEN).equals(header)) {
                chain.doFilter(request, response);
                return;
            }
            HttpServletResponse http = (HttpServletResponse) response;
            http.setHeader("WWW-Authenticate", "Basic realm=\"git\"");
            http.sendError(HttpServletResponse.SC_UNAUTHORIZED);
        }

        private static String basic(String login) {
            return "Basic "
                    + Base64.getEncoder().encodeToString(login.getBytes(StandardCharsets.UTF_8));
        }
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
