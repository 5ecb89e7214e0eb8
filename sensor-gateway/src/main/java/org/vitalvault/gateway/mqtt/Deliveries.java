package org.vitalvault.gateway.mqtt;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.jboss.logging.Logger;

/**
 * The ack contract of the ingest connection (docs/decisions/031): each delivery is acknowledged at
 * most once, and only on the connection it arrived on.
 *
 * <p>Why: a packet id identifies a message only within one connection's in-flight window. After a
 * reconnect the broker sends its unacknowledged messages again, while the old copies may still be
 * in the pipeline; a late ack of an old copy, sent on the new connection, settles whatever message
 * the broker has in flight under that id there: the copy delivered again, and then its own ack is
 * a second PUBACK for one delivery; or, once the id was freed and reused, a different message not
 * yet committed, which a crash would then lose.
 *
 * <p>How: a generation counts the connections; {@link MqttIngestClient} calls
 * {@link #connectionLost()} from Paho's {@code disconnected} callback, which Paho 1.2.5 runs after
 * the old connection's callback thread has stopped (so no later {@code messageArrived} belongs to
 * it) and before the reconnect starts (so every {@code messageArrived} of the new connection comes
 * after). An ack of an older generation is dropped and counted: the broker delivers that message
 * again on the current connection, whose ack settles it, and the copy already stored is a
 * duplicate the vault's reads drop (decision 003). The generation check and the hand-over to Paho
 * happen under one lock that {@link #connectionLost()} also takes, so no ack checked against the
 * old connection is handed over after it was declared lost; Paho discards acks queued while
 * disconnected when the next CONNACK arrives. The lock is uncontended but for the moment of a
 * connection loss (acks come from the single committer thread).
 */
public final class Deliveries {

    private static final Logger LOG = Logger.getLogger(Deliveries.class);

    private final Acknowledger acknowledger;
    private final Object lock = new Object();
    /** The current connection; guarded by {@link #lock} for writes, read without it on arrival. */
    private volatile int generation;
    /** Deliveries of QoS 1 or 2 handed on and not yet acknowledged (whether sent or dropped). */
    private final AtomicInteger unacknowledged = new AtomicInteger();
    private final AtomicLong staleAcksDropped = new AtomicLong();
    private final AtomicLong repeatedAcksIgnored = new AtomicLong();

    public Deliveries(Acknowledger acknowledger) {
        this.acknowledger = acknowledger;
    }

    /** A message arrived on the current connection; the returned delivery is its ack. */
    public Delivery arrived(int packetId, int qos) {
        if (qos > 0) {
            unacknowledged.incrementAndGet();
        }
        return new Delivery(this, generation, packetId, qos);
    }

    /**
     * The current connection is gone: acknowledgements of what arrived on it are no longer sent.
     * Call it before anything of the next connection arrives.
     */
    public void connectionLost() {
        synchronized (lock) {
            generation++;
        }
    }

    /** Deliveries handed on and not yet acknowledged or dropped. */
    public int unacknowledged() {
        return unacknowledged.get();
    }

    /** Acks not sent because their connection had gone (the broker delivers those messages again). */
    public long staleAcksDropped() {
        return staleAcksDropped.get();
    }

    /** Second and later acks of one delivery, ignored. */
    public long repeatedAcksIgnored() {
        return repeatedAcksIgnored.get();
    }

    /** Called once per delivery, by {@link Delivery#run()}. */
    void acknowledge(Delivery d) {
        if (d.qos == 0) {
            return;
        }
        unacknowledged.decrementAndGet();
        synchronized (lock) {
            if (d.generation != generation) {
                staleAcksDropped.incrementAndGet();
                return;
            }
            try {
                acknowledger.acknowledge(d.packetId, d.qos);
            } catch (MqttException e) {
                // Not sent (connection going): the broker delivers the message again.
                LOG.debugf("ack of packet %d not sent: %s", d.packetId, e.getMessage());
            }
        }
    }

    void repeated() {
        repeatedAcksIgnored.incrementAndGet();
    }
}
