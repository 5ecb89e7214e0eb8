package org.vitalvault.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;

/**
 * The ack contract (docs/decisions/031): each delivery is acknowledged at most once, and only on
 * the connection it arrived on. The broker here is a model of one MQTT 5 session: it gives each
 * message it sends the lowest free packet id of the connection (as HiveMQ does), sends again what
 * is unacknowledged after a reconnect under the same ids (MQTT 5 §4.4), and settles whatever
 * message it has in flight under the id of each PUBACK it gets.
 */
class DeliveriesTest {

    private final BrokerModel broker = new BrokerModel();
    private final Deliveries deliveries = new Deliveries(broker);

    @Test
    void lateAcksOfOldCopiesAfterAReconnectNeitherRepeatAPubackNorSettleANewMessageReusingTheId() {
        List<Delivery> first = new ArrayList<>();
        for (String m : List.of("m1", "m2", "m3", "m4", "m5")) {
            first.add(broker.send(m));
        }
        // The connection drops with all five in the pipeline; the broker sends them again.
        List<Delivery> again = broker.reconnect();
        assertEquals(List.of(1, 2, 3, 4, 5), again.stream().map(d -> d.packetId).toList());

        // The old copies commit; their acks come after the reconnect.
        broker.committed.addAll(List.of("m1", "m2", "m3", "m4", "m5"));
        first.forEach(Delivery::run);
        // A new message: the broker reuses any packet id the acks above freed.
        Delivery m6 = broker.send("m6");
        // The copies delivered again commit; the pipeline acks them, one of them twice.
        again.forEach(Delivery::run);
        again.get(0).run();
        first.get(0).run();

        assertAll(
                () -> assertEquals(List.of(), broker.settledBeforeCommit, "settled before their commit"),
                () -> assertEquals(List.of(), broker.unmatched, "PUBACKs matching nothing in flight (repeats)"),
                () -> assertEquals(List.of("m1", "m2", "m3", "m4", "m5"), broker.settled, "each settled once"),
                () -> assertEquals(Map.of(m6.packetId, "m6"), broker.inFlight, "m6 waits for its commit"),
                () -> assertEquals(5, deliveries.staleAcksDropped()),
                () -> assertEquals(1, deliveries.unacknowledged(), "only m6 is held"));
    }

    @Test
    void anAckAfterTheConnectionIsLostIsDroppedNotSentOnTheNextConnection() {
        Delivery d = broker.send("m1");
        deliveries.connectionLost();
        broker.committed.add("m1");
        d.run();
        assertEquals(List.of(), broker.pubacks);
        assertEquals(1, deliveries.staleAcksDropped());
        assertEquals(0, deliveries.unacknowledged(), "the pipeline is done with it: not held any more");
    }

    @Test
    void aDeliveryIsAcknowledgedOnceHoweverOftenItsAckRuns() {
        Delivery d = broker.send("m1");
        broker.committed.add("m1");
        d.run();
        d.run();
        assertEquals(List.of(1), broker.pubacks);
        assertEquals(0, deliveries.unacknowledged());
        assertEquals(1, deliveries.repeatedAcksIgnored());
    }

    @Test
    void qos0DeliveriesAreNeitherHeldNorAcknowledged() {
        Delivery d = deliveries.arrived(0, 0);
        assertEquals(0, deliveries.unacknowledged());
        d.run();
        assertEquals(List.of(), broker.pubacks);
        assertEquals(0, deliveries.unacknowledged());
    }

    @Test
    void anAckTheClientCannotSendStillReleasesTheDelivery() {
        Deliveries failing = new Deliveries((id, qos) -> {
            throw new MqttException(32104); // client not connected
        });
        Delivery d = failing.arrived(7, 1);
        d.run();
        assertEquals(0, failing.unacknowledged());
    }

    /** One subscriber's MQTT 5 session at a broker, as far as QoS 1 packet ids go. */
    private final class BrokerModel implements Acknowledger {
        final TreeMap<Integer, String> inFlight = new TreeMap<>();
        final Set<String> committed = new HashSet<>();
        final List<String> settled = new ArrayList<>();
        final List<String> settledBeforeCommit = new ArrayList<>();
        final List<Integer> unmatched = new ArrayList<>();
        final List<Integer> pubacks = new ArrayList<>();

        Delivery send(String message) {
            int id = 1;
            while (inFlight.containsKey(id)) {
                id++;
            }
            inFlight.put(id, message);
            return deliveries.arrived(id, 1);
        }

        /** The connection drops; on the new one the broker sends its in-flight messages again, same ids. */
        List<Delivery> reconnect() {
            deliveries.connectionLost();
            List<Delivery> again = new ArrayList<>();
            for (Integer id : new LinkedHashMap<>(inFlight).keySet()) {
                again.add(deliveries.arrived(id, 1));
            }
            return again;
        }

        @Override
        public void acknowledge(int packetId, int qos) {
            pubacks.add(packetId);
            String message = inFlight.remove(packetId);
            if (message == null) {
                unmatched.add(packetId);
                return;
            }
            settled.add(message);
            if (!committed.contains(message)) {
                settledBeforeCommit.add(message);
            }
        }
    }
}
