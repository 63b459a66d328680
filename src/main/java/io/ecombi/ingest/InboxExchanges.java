package io.ecombi.ingest;

import io.ecombi.run.ErrorText;
import org.apache.camel.Exchange;
import org.apache.camel.Ordered;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;

/**
 * The inbox files in flight (bean "inboxExchanges", the first step of routes trigger-inbox and
 * ingest-drop): a stop waits until each has been moved where its exchange decided (done/, failed/,
 * back into the inbox) before Camel stops. Without it the run's clean-up let the stop go on while
 * the exchange was still on its way to the step that puts an interrupted trigger back, and Camel's
 * stop rolled the file into failed/ with no reason beside it.
 */
public final class InboxExchanges {
    private static final Logger LOG = LoggerFactory.getLogger(InboxExchanges.class);
    private final Object lock = new Object();
    private int inFlight;
    private volatile boolean stopping;

    public void track(Exchange exchange) {
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        String parent = exchange.getMessage().getHeader(Exchange.FILE_PARENT, String.class);
        synchronized (lock) {
            inFlight++;
        }
        // before the file component's own completion (order 0), which moves the file by FAILED_TARGET_PROPERTY
        exchange.getExchangeExtension().addOnCompletion(new FirstOnFailure(name, parent));
        // after it: the file has been moved
        exchange.getExchangeExtension().addOnCompletion(new Done());
    }

    /** ecombi is stopping: an exchange that fails without having decided where its file goes puts it back into the inbox. */
    public void stopping() {
        stopping = true;
    }

    /** Waits up to timeout for every tracked file to have been moved; true when none is left. */
    public boolean awaitNone(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                lock.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    public int inFlight() {
        synchronized (lock) {
            return inFlight;
        }
    }

    private final class Done extends SynchronizationAdapter implements Ordered {
        @Override
        public void onDone(Exchange exchange) {
            synchronized (lock) {
                inFlight--;
                lock.notifyAll();
            }
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST;
        }
    }

    /**
     * A file never lands in failed/ without its reason: an exchange that failed before a step wrote
     * failed/<name>.error.txt (Camel stopping under it, an error outside the route's doCatch) puts the
     * file back into the inbox when ecombi is stopping, and otherwise writes the reason itself.
     */
    private final class FirstOnFailure extends SynchronizationAdapter implements Ordered {
        private final String name;
        private final String parent;

        FirstOnFailure(String name, String parent) {
            this.name = name;
            this.parent = parent;
        }

        @Override
        public void onFailure(Exchange exchange) {
            String target = exchange.getProperty(TriggerFiles.FAILED_TARGET_PROPERTY, String.class);
            if (name == null || parent == null || target == null || !target.startsWith("failed/")) return;
            Path dir = Path.of(parent);
            Path errorFile = dir.resolve(target + ".error.txt");
            if (Files.exists(errorFile)) return;
            if (stopping) {
                String stamp = exchange.getProperty(TriggerFiles.STAMP_PROPERTY, String.class);
                if (stamp == null) return;
                String back = TriggerFiles.putBackName(name, stamp);
                exchange.setProperty(TriggerFiles.FAILED_TARGET_PROPERTY, back);
                LOG.warn("{} did not finish because ecombi is stopping: put back as {} (it is taken up at the next start)", name, dir.resolve(back));
                return;
            }
            try {
                Files.createDirectories(errorFile.getParent());
                TriggerFiles.writeWhole(errorFile, name + " failed at " + LocalDateTime.now() + "\n" + ErrorText.of(exchange.getException()) + "\n");
                LOG.error("{} failed: {} (moved to {}, reason in {})", name, ErrorText.of(exchange.getException()), dir.resolve(target), errorFile);
            } catch (java.io.IOException e) {
                LOG.error("{} failed ({}) and its reason could not be written to {}: {}", name, ErrorText.of(exchange.getException()), errorFile, e.getMessage());
            }
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST;
        }
    }
}
