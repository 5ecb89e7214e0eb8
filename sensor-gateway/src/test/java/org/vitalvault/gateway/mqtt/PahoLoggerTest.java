package org.vitalvault.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.eclipse.paho.mqttv5.client.logging.Logger;
import org.eclipse.paho.mqttv5.client.logging.LoggerFactory;
import org.junit.jupiter.api.Test;

/** Paho's messages still reach java.util.logging, with the client named; only the lookup is cached. */
class PahoLoggerTest {

    @Test
    void pahoCreatesItAndItLogsThroughJulWithTheCatalogueText() {
        assertTrue(PahoLogger.install());
        Logger paho = LoggerFactory.getLogger(LoggerFactory.MQTT_CLIENT_MSG_CAT, "vitalvault.test.paho");
        assertEquals(PahoLogger.class, paho.getClass());
        paho.setResourceName("gw-1");
        List<LogRecord> records = new ArrayList<>();
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("vitalvault.test.paho");
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(handler);
        try {
            paho.warning("C", "m", "{0} went {1}", new Object[] {"it", "away"}, null);
            paho.fine("C", "m", "not shown at INFO");
        } finally {
            jul.removeHandler(handler);
        }
        assertEquals(1, records.size());
        assertEquals(Level.WARNING, records.get(0).getLevel());
        assertEquals("gw-1: it went away", records.get(0).getMessage());
        Logger again = LoggerFactory.getLogger(LoggerFactory.MQTT_CLIENT_MSG_CAT, "vitalvault.test.paho");
        assertTrue(again != paho, "one Paho logger per token, as before");
    }
}
