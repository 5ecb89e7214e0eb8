package org.vitalvault.gateway.mqtt;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One message as the broker delivered it: on which connection ({@code generation}), under which
 * packet id, with which QoS. Running it acknowledges the delivery (the pipeline runs it after the
 * commit); only the first run counts, later ones do nothing. A packet id names a message only on
 * the connection it came on, so the acknowledgement is sent only while that connection stands
 * (see {@link Deliveries}).
 *
 * <p>It is the ack closure itself (one object per message, as the lambda it replaces was), with a
 * field updater rather than an AtomicBoolean so that it stays one allocation.
 */
public final class Delivery implements Runnable {

    private static final AtomicIntegerFieldUpdater<Delivery> DONE =
            AtomicIntegerFieldUpdater.newUpdater(Delivery.class, "done");

    final int generation;
    final int packetId;
    final int qos;
    private final Deliveries deliveries;
    private volatile int done;

    Delivery(Deliveries deliveries, int generation, int packetId, int qos) {
        this.deliveries = deliveries;
        this.generation = generation;
        this.packetId = packetId;
        this.qos = qos;
    }

    /** Acknowledges the delivery, the first time only. */
    @Override
    public void run() {
        if (DONE.compareAndSet(this, 0, 1)) {
            deliveries.acknowledge(this);
        } else {
            deliveries.repeated();
        }
    }

    @Override
    public String toString() {
        return "Delivery[connection " + generation + ", packet " + packetId + ", QoS " + qos + "]";
    }
}
