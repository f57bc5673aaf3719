package io.sluice.health.notify.provider;

import io.sluice.health.notify.NotificationException;
import io.sluice.health.notify.Redaction;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Git repository address as the commit status Providers read it: {@code https://host/org/repo},
 * {@code ssh://git@host/org/repo.git} or {@code git@host:org/repo.git}; SSH is reached over HTTPS.
 *
 * @param origin scheme, host and port, no trailing slash
 * @param host host and port
 * @param path the repository path, without leading slash or {@code .git}
 */
record RepositoryAddress(String origin, String host, String path) {
    private static final Pattern SCP = Pattern.compile("^(?:[^@/]+@)?([^:/]+):(.+)$");

    static RepositoryAddress parse(String address) throws NotificationException {
        if (address == null || address.isBlank()) {
            throw new NotificationException("the repository address cannot be empty");
        }
        String text = address.trim();
        String scheme;
        String host;
        String path;
        Matcher scp = SCP.matcher(text);
        if (!text.contains("://") && scp.matches()) {
            scheme = "https";
            host = scp.group(1);
            path = scp.group(2);
        } else {
            try {
                URI uri = new URI(text);
                if (uri.getHost() == null) {
                    throw new NotificationException(
                            "invalid repository address '" + Redaction.url(uri) + "'");
                }
                scheme = "ssh".equals(uri.getScheme()) ? "https" : uri.getScheme();
                host =
                        uri.getPort() > 0 && !"ssh".equals(uri.getScheme())
                                ? uri.getHost() + ":" + uri.getPort()
                                : uri.getHost();
                path = uri.getPath();
            } catch (URISyntaxException e) {
                throw new NotificationException("invalid repository address: " + e.getReason());
            }
        }
        path = path.replaceAll("^/+", "").replaceAll("\\.git$", "");
        return new RepositoryAddress(scheme + "://" + host, host, path);
    }
}
