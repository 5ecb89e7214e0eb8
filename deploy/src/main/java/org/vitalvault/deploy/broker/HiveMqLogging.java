package org.vitalvault.deploy.broker;

import java.util.Map;

/**
 * Turns HiveMQ's start-up chatter (dozens of INFO lines per start) down to warnings.
 *
 * <p>The deploy module logs through slf4j-simple, and logback-classic is excluded from HiveMQ's
 * dependencies so there is exactly one SLF4J provider. HiveMQ's own logging bootstrap needs
 * logback, so {@link EmbeddedBroker} starts HiveMQ without it, and levels are set here through
 * slf4j-simple's system properties instead. slf4j-simple reads a logger's level when the logger is
 * created, so this must run before the first HiveMQ class loads; a level already given on the
 * command line ({@code -Dorg.slf4j.simpleLogger.log.com.hivemq=info}) wins.
 */
final class HiveMqLogging {

    private static final String PREFIX = "org.slf4j.simpleLogger.log.";
    private static final Map<String, String> LEVELS = Map.of(
            "com.hivemq", "warn",
            "jetbrains.exodus", "warn",
            "migrations", "warn",
            // oshi (system metrics only) logs an ERROR at every start because HiveMQ 2025.5 ships a
            // JNA older than oshi wants; the broker works without those metrics.
            "oshi", "off",
            "io.netty", "warn");

    private HiveMqLogging() {
    }

    static void quiet() {
        LEVELS.forEach((logger, level) -> {
            String key = PREFIX + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, level);
            }
        });
    }
}
