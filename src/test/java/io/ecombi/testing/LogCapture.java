package io.ecombi.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/** Every log record of this JVM while it is started, as text (the message and its exceptions' messages): for tests that check what a log line holds. */
public final class LogCapture {
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture() {}

    public static LogCapture start() {
        LogCapture c = new LogCapture();
        c.appender.start();
        root().addAppender(c.appender);
        return c;
    }

    /** One entry per record: its formatted message, then the messages of its exception and causes. */
    public List<String> lines() {
        List<ILoggingEvent> events;
        synchronized (appender) {   // AppenderBase appends under the appender's own lock
            events = List.copyOf(appender.list);
        }
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : events) {
            StringBuilder sb = new StringBuilder(e.getFormattedMessage());
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) sb.append(" | ").append(t.getMessage());
            out.add(sb.toString());
        }
        return out;
    }

    public String text() {
        return String.join("\n", lines());
    }

    public void stop() {
        root().detachAppender(appender);
        appender.stop();
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
