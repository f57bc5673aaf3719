package io.sluice.cli;

import picocli.CommandLine.IVersionProvider;

/** The CLI's version: the build's. */
public final class Version implements IVersionProvider {
    public static String current() {
        String version = Version.class.getPackage().getImplementationVersion();
        return version == null ? "0.1.0-SNAPSHOT" : version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"sluice " + current()};
    }
}
