package io.ecombi.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** --version: the project's version, written into version.properties by the build, and the Java that runs it. */
public final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"ecombi " + project(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
    }

    static String project() {
        try (InputStream in = Version.class.getResourceAsStream("/io/ecombi/version.properties")) {
            if (in == null) return "unknown (not built by Maven)";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
