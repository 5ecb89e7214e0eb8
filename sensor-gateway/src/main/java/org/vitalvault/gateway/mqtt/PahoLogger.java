package org.vitalvault.gateway.mqtt;

import java.text.MessageFormat;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.eclipse.paho.mqttv5.client.logging.Logger;
import org.eclipse.paho.mqttv5.client.logging.LoggerFactory;

/**
 * Paho's logging, routed to java.util.logging like its own {@code JSR47Logger}, but with the JUL
 * logger looked up once per name instead of once per token.
 *
 * <p>Why: Paho 1.2.5 creates a logger for every {@code MqttToken} — one per PUBACK the gateway sends
 * and one per receipt — and its {@code JSR47Logger} calls {@code java.util.logging.Logger.getLogger}
 * each time, which under Quarkus' log manager was ~9% of the gateway's CPU samples with one reading
 * per message (docs/benchmarks.md).
 */
public final class PahoLogger implements Logger {

    /** By Paho logger id: its class names, a small fixed set. */
    private static final ConcurrentHashMap<String, java.util.logging.Logger> JUL = new ConcurrentHashMap<>();

    private java.util.logging.Logger jul;
    private ResourceBundle catalog;
    private String resourceName;

    /**
     * Makes Paho create this logger from now on. Paho loads it by name with its own class loader;
     * where that cannot see this class, Paho keeps its default rather than fail every token.
     */
    public static boolean install() {
        try {
            Class.forName(PahoLogger.class.getName(), false, LoggerFactory.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return false;
        }
        LoggerFactory.setLogger(PahoLogger.class.getName());
        return true;
    }

    @Override
    public void initialise(ResourceBundle messageCatalog, String loggerID, String resourceName) {
        this.catalog = messageCatalog;
        this.resourceName = resourceName;
        this.jul = JUL.computeIfAbsent(loggerID, java.util.logging.Logger::getLogger);
    }

    @Override
    public void setResourceName(String logContext) {
        this.resourceName = logContext;
    }

    @Override
    public boolean isLoggable(int level) {
        return jul.isLoggable(toJul(level));
    }

    @Override
    public void log(int level, String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
        Level julLevel = toJul(level);
        if (!jul.isLoggable(julLevel)) {
            return;
        }
        String text = formatMessage(msg, inserts);
        LogRecord record = new LogRecord(julLevel, resourceName == null ? text : resourceName + ": " + text);
        record.setLoggerName(jul.getName());
        record.setSourceClassName(sourceClass);
        record.setSourceMethodName(sourceMethod);
        record.setThrown(thrown);
        jul.log(record);
    }

    @Override
    public void trace(int level, String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable ex) {
        log(level, sourceClass, sourceMethod, msg, inserts, ex);
    }

    @Override
    public String formatMessage(String msg, Object[] inserts) {
        String text = msg;
        if (catalog != null && msg != null) {
            try {
                text = catalog.getString(msg);
            } catch (MissingResourceException e) {
                // not a catalogue key: the message itself
            }
        }
        return inserts == null || inserts.length == 0 ? text : MessageFormat.format(text, inserts);
    }

    @Override
    public void dumpTrace() {
        // no trace buffer
    }

    private static Level toJul(int level) {
        switch (level) {
            case SEVERE: return Level.SEVERE;
            case WARNING: return Level.WARNING;
            case INFO: return Level.INFO;
            case CONFIG: return Level.CONFIG;
            case FINE: return Level.FINE;
            case FINER: return Level.FINER;
            default: return Level.FINEST;
        }
    }

    @Override
    public void severe(String c, String m, String msg) {
        log(SEVERE, c, m, msg, null, null);
    }

    @Override
    public void severe(String c, String m, String msg, Object[] inserts) {
        log(SEVERE, c, m, msg, inserts, null);
    }

    @Override
    public void severe(String c, String m, String msg, Object[] inserts, Throwable thrown) {
        log(SEVERE, c, m, msg, inserts, thrown);
    }

    @Override
    public void warning(String c, String m, String msg) {
        log(WARNING, c, m, msg, null, null);
    }

    @Override
    public void warning(String c, String m, String msg, Object[] inserts) {
        log(WARNING, c, m, msg, inserts, null);
    }

    @Override
    public void warning(String c, String m, String msg, Object[] inserts, Throwable thrown) {
        log(WARNING, c, m, msg, inserts, thrown);
    }

    @Override
    public void info(String c, String m, String msg) {
        log(INFO, c, m, msg, null, null);
    }

    @Override
    public void info(String c, String m, String msg, Object[] inserts) {
        log(INFO, c, m, msg, inserts, null);
    }

    @Override
    public void info(String c, String m, String msg, Object[] inserts, Throwable thrown) {
        log(INFO, c, m, msg, inserts, thrown);
    }

    @Override
    public void config(String c, String m, String msg) {
        log(CONFIG, c, m, msg, null, null);
    }

    @Override
    public void config(String c, String m, String msg, Object[] inserts) {
        log(CONFIG, c, m, msg, inserts, null);
    }

    @Override
    public void config(String c, String m, String msg, Object[] inserts, Throwable thrown) {
        log(CONFIG, c, m, msg, inserts, thrown);
    }

    @Override
    public void fine(String c, String m, String msg) {
        log(FINE, c, m, msg, null, null);
    }

    @Override
    public void fine(String c, String m, String msg, Object[] inserts) {
        log(FINE, c, m, msg, inserts, null);
    }

    @Override
    public void fine(String c, String m, String msg, Object[] inserts, Throwable thrown) {
        log(FINE, c, m, msg, inserts, thrown);
    }

    @Override
    public void finer(String c, String m, String msg) {
        log(FINER, c, m, msg, null, null);
    }

    @Override
    public void finer(String c, String m, String msg, Object[] inserts) {
        log(FINER, c, m, msg, inserts, null);
    }

    @Override
    public void finer(String c, String m, String msg, Object[] inserts, Throwable thrown) {
        log(FINER, c, m, msg, inserts, thrown);
    }

    @Override
    public void finest(String c, String m, String msg) {
        log(FINEST, c, m, msg, null, null);
    }

    @Override
    public void finest(String c, String m, String msg, Object[] inserts) {
        log(FINEST, c, m, msg, inserts, null);
    }

    @Override
    public void finest(String c, String m, String msg, Object[] inserts, Throwable thrown) {
        log(FINEST, c, m, msg, inserts, thrown);
    }
}
