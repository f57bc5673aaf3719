package io.sluice.source.oci;

/**
 * An OCIRepository's {@code spec.url} ({@code oci://host[:port]/repository}), checked as
 * source-controller checks it.
 */
record OciUrl(String host, String repository) {

    static OciUrl parse(String url) throws OciException {
        if (url == null || !url.startsWith("oci://")) {
            throw invalid(url, "URL must be in format 'oci://<domain>/<org>/<repo>'");
        }
        String rest = url.substring("oci://".length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw invalid(url, "URL must be in format 'oci://<domain>/<org>/<repo>'");
        }
        String repository = rest.substring(slash + 1);
        int colon = repository.lastIndexOf(':');
        if (colon >= 0) {
            throw invalid(
                    url,
                    "URL must not contain a tag; remove ':"
                            + repository.substring(colon + 1)
                            + "'");
        }
        return new OciUrl(rest.substring(0, slash), repository);
    }

    private static OciException invalid(String url, String why) {
        return new OciException("URLInvalid", "URL validation failed for '" + url + "': " + why);
    }

    /** As go-containerregistry decides: loopback and private hosts may be served over HTTP. */
    boolean mayBePlainHttp() {
        String name = host.replaceFirst(":\\d+$", "");
        return name.equals("localhost")
                || name.endsWith(".localhost")
                || name.startsWith("127.")
                || name.equals("[::1]")
                || name.startsWith("10.")
                || name.startsWith("192.168.")
                || name.matches("172\\.(1[6-9]|2\\d|3[01])\\..*");
    }

    /** {@code host/repository:reference}, as Flux names a ref in its messages. */
    String named(String reference) {
        return host + "/" + repository + (reference.startsWith("sha256:") ? "@" : ":") + reference;
    }
}
