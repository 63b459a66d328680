package io.ecombi;

import io.ecombi.cli.EcombiCommand;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The command line's entry point: bin/ecombi, java -jar target/ecombi.jar. The commands are in
 * io.ecombi.cli, one class each (EcombiCommand lists them); exit 0 ok, 1 the work failed, 2 usage error.
 */
public final class EcombiApp {
    private EcombiApp() {}

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        // libraries that log through java.util.logging (netlib under Weka) go through logback and its levels
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        System.exit(EcombiCommand.commandLine().execute(args));
    }
}
