package io.sluice.source.git;

import io.fabric8.kubernetes.api.model.Secret;
import io.sluice.contracts.meta.Reasons;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * A GitRepository's {@code secretRef}, read as source-controller reads it: over HTTP(S) {@code
 * username}/{@code password} (basic auth) or {@code bearerToken}; over SSH the private key {@code
 * identity} (OpenSSH or PEM; RSA, ECDSA, Ed25519; decrypted with {@code password} when encrypted)
 * and {@code known_hosts}, against which the server's host key is checked: a host key not listed
 * for that host and port is refused, never accepted. Keys stay in memory.
 */
final class GitAuth implements TransportConfigCallback, AutoCloseable {
    /** The SSH client reads no user files: an empty directory stands in for {@code ~/.ssh}. */
    private static final Path NO_HOME = emptyDirectory();

    private final CredentialsProvider basic;
    private final String bearerToken;
    private final SshdSessionFactory ssh;
    private GitProxy proxy;

    /** Why the server's host key was refused, in Flux's words, once it was. */
    private volatile String hostKeyRefusal;

    private GitAuth(CredentialsProvider basic, String bearerToken, SshdSessionFactory ssh) {
        this.basic = basic;
        this.bearerToken = bearerToken;
        this.ssh = ssh;
    }

    /** {@code url} with the user {@code git} when an ssh URL names none, as Flux defaults it. */
    static String withDefaultUser(String url) {
        try {
            URIish uri = new URIish(url);
            return "ssh".equals(uri.getScheme()) && uri.getUser() == null
                    ? uri.setUser("git").toString()
                    : url;
        } catch (java.net.URISyntaxException e) {
            return url;
        }
    }

    static GitAuth none() {
        return new GitAuth(null, null, null);
    }

    /** HTTP(S) fetches through {@code proxy}, when there is one. */
    GitAuth through(java.util.Optional<GitProxy> proxy) {
        this.proxy = proxy.orElse(null);
        return this;
    }

    /** Basic auth over HTTP(S) with {@code username} and {@code password}. */
    static GitAuth basic(String username, String password) {
        return new GitAuth(new UsernamePasswordCredentialsProvider(username, password), null, null);
    }

    /**
     * The auth {@code secret} gives for {@code url}; errors use source-controller's words and name
     * the Secret, never its values.
     */
    static GitAuth of(Secret secret, String url) throws GitFetchException {
        String name = secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName();
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        URIish uri;
        try {
            uri = new URIish(url);
        } catch (java.net.URISyntaxException e) {
            throw new GitFetchException("invalid url '" + url + "': " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "ssh" : uri.getScheme();
        if (scheme.startsWith("http")) {
            // as Flux: a bearer token alone when there is one, else basic auth with what is given
            String bearerToken = text(data.get("bearerToken"));
            if (bearerToken != null) {
                return new GitAuth(null, bearerToken, null);
            }
            String username = text(data.get("username"));
            String password = text(data.get("password"));
            CredentialsProvider basic =
                    username != null || password != null
                            ? new UsernamePasswordCredentialsProvider(
                                    username == null ? "" : username,
                                    password == null ? "" : password)
                            : null;
            return new GitAuth(basic, null, null);
        }
        if (!"ssh".equals(scheme)) {
            return none();
        }
        String identity = text(data.get("identity"));
        String knownHosts = text(data.get("known_hosts"));
        for (String required : new String[] {"identity", "known_hosts"}) {
            if (data.get(required) == null) {
                throw GitFetchException.withReason(
                        Reasons.AUTHENTICATION_FAILED,
                        "failed to configure authentication options: invalid 'ssh' auth option: '"
                                + required
                                + "' is required");
            }
        }
        List<KeyPair> keys = keys(name, identity, text(data.get("password")));
        List<KnownHostEntry> hosts = knownHosts(name, knownHosts);
        GitAuth[] auth = new GitAuth[1];
        SshdSessionFactory factory =
                new SshdSessionFactoryBuilder()
                        .setHomeDirectory(NO_HOME.toFile())
                        .setSshDirectory(NO_HOME.toFile())
                        .setPreferredAuthentications("publickey")
                        .setDefaultKeysProvider(dir -> keys)
                        .setServerKeyDatabase(
                                (home, dir) ->
                                        new KnownHosts(hosts, why -> auth[0].hostKeyRefusal = why))
                        .build(null);
        auth[0] = new GitAuth(null, null, factory);
        return auth[0];
    }

    /**
     * {@code ssh: handshake failed: knownhosts: key mismatch} (or {@code key is unknown}) when the
     * server's host key was refused; empty otherwise.
     */
    java.util.Optional<String> hostKeyRefusal() {
        return java.util.Optional.ofNullable(hostKeyRefusal)
                .map(why -> "ssh: handshake failed: knownhosts: " + why);
    }

    @Override
    public void configure(Transport transport) {
        if (transport instanceof SshTransport sshTransport && ssh != null) {
            sshTransport.setSshSessionFactory(ssh);
        }
        if (transport instanceof TransportHttp http && bearerToken != null) {
            http.setAdditionalHeaders(Map.of("Authorization", "Bearer " + bearerToken));
        }
        if (transport instanceof TransportHttp http && proxy != null) {
            http.setHttpConnectionFactory(proxy.connections());
        }
        if (basic != null) {
            transport.setCredentialsProvider(basic);
        }
    }

    @Override
    public void close() {
        if (ssh != null) {
            ssh.close();
        }
    }

    private static List<KeyPair> keys(String name, String identity, String password)
            throws GitFetchException {
        try {
            Iterable<KeyPair> loaded =
                    SecurityUtils.loadKeyPairIdentities(
                            null,
                            NamedResource.ofName(name + "/identity"),
                            new ByteArrayInputStream(identity.getBytes(StandardCharsets.UTF_8)),
                            password == null ? null : FilePasswordProvider.of(password));
            List<KeyPair> keys = new ArrayList<>();
            if (loaded != null) {
                loaded.forEach(keys::add);
            }
            if (keys.isEmpty()) {
                throw GitFetchException.withReason(
                        Reasons.AUTHENTICATION_FAILED,
                        "failed to parse the private key in '" + name + "' secret: no key found");
            }
            return keys;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (password == null && encrypted(identity, e)) {
                throw GitFetchException.withReason(
                        Reasons.AUTHENTICATION_FAILED,
                        "SSH identity key is encrypted but no 'password' field was provided in"
                                + " the secret '"
                                + name
                                + "'");
            }
            // the exception's type only: a parser's message might quote the key's bytes
            throw GitFetchException.withReason(
                    Reasons.AUTHENTICATION_FAILED,
                    "unable to construct auth method with options: the private key in secret '"
                            + name
                            + "' could not be read ("
                            + e.getClass().getSimpleName()
                            + (password == null ? "" : "; is 'password' right?")
                            + ")");
        }
    }

    private static boolean encrypted(String identity, Exception e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return identity.contains("ENCRYPTED")
                || message.contains("password")
                || message.contains("encrypt");
    }

    private static List<KnownHostEntry> knownHosts(String name, String text)
            throws GitFetchException {
        try {
            List<KnownHostEntry> entries =
                    KnownHostEntry.readKnownHostEntries(new StringReader(text), true);
            if (entries == null || entries.isEmpty()) {
                throw GitFetchException.withReason(
                        Reasons.AUTHENTICATION_FAILED, "no known hosts in '" + name + "' secret");
            }
            return entries;
        } catch (IOException | RuntimeException e) {
            throw GitFetchException.withReason(
                    Reasons.AUTHENTICATION_FAILED,
                    "failed to parse known_hosts in '" + name + "' secret: " + e.getMessage());
        }
    }

    private static String text(String base64) {
        return base64 == null
                ? null
                : new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static Path emptyDirectory() {
        try {
            Path home = Files.createTempDirectory("sluice-no-ssh-home");
            home.toFile().deleteOnExit(); // empty: one per process start otherwise
            return home;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The host keys of {@code known_hosts}: the server's key must be one listed for the host and
     * port connected to ({@code [host]:port} when not 22; hashed names too); of several keys of one
     * type for a host only the first counts, as in Flux's known_hosts reader.
     */
    private record KnownHosts(
            List<KnownHostEntry> entries, java.util.function.Consumer<String> refused)
            implements ServerKeyDatabase {
        @Override
        public List<PublicKey> lookup(
                String connectAddress, InetSocketAddress remote, Configuration config) {
            // JGit names the host as the URL does: "host", or "[host]:port" off port 22
            String host = connectAddress;
            int port = 22;
            if (connectAddress.startsWith("[") && connectAddress.contains("]:")) {
                host = connectAddress.substring(1, connectAddress.indexOf("]:"));
                port = Integer.parseInt(connectAddress.substring(connectAddress.indexOf("]:") + 2));
            }
            String hostName = host;
            int hostPort = port;
            // @revoked and @cert-authority lines name no host key to accept
            List<PublicKey> keys =
                    keys(e -> e.getMarker() == null && e.isHostMatch(hostName, hostPort));
            java.util.Set<String> types = new java.util.HashSet<>();
            keys.removeIf(key -> !types.add(KeyUtils.getKeyType(key)));
            return keys;
        }

        /** The keys of {@code @revoked} lines: refused for every host, as in Flux. */
        private List<PublicKey> revoked() {
            return keys(e -> "revoked".equals(e.getMarker()));
        }

        /**
         * The keys of the entries {@code wanted} selects; an entry of a key type this client does
         * not know is left out (a server cannot present such a key to it either).
         */
        private List<PublicKey> keys(java.util.function.Predicate<KnownHostEntry> wanted) {
            List<PublicKey> keys = new ArrayList<>();
            for (KnownHostEntry entry : entries) {
                if (wanted.test(entry)) {
                    try {
                        keys.add(
                                entry.getKeyEntry()
                                        .resolvePublicKey(
                                                null, Map.of(), PublicKeyEntryResolver.IGNORING));
                    } catch (IOException | GeneralSecurityException e) {
                        // unknown key type: left out
                    }
                }
            }
            keys.removeIf(java.util.Objects::isNull);
            return keys;
        }

        @Override
        public boolean accept(
                String connectAddress,
                InetSocketAddress remote,
                PublicKey serverKey,
                Configuration config,
                CredentialsProvider provider) {
            if (revoked().stream().anyMatch(key -> KeyUtils.compareKeys(key, serverKey))) {
                refused.accept("key is revoked");
                return false;
            }
            List<PublicKey> known = lookup(connectAddress, remote, config);
            if (known.stream().anyMatch(key -> KeyUtils.compareKeys(key, serverKey))) {
                return true;
            }
            refused.accept(known.isEmpty() ? "key is unknown" : "key mismatch");
            return false;
        }
    }
}
