package org.vitalvault.vault.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import javax.net.SocketFactory;
import org.junit.jupiter.api.Test;

/** The broker side (publish, retained, refused publishers) is proven against real brokers in deploy's ITs. */
class MqttWitnessTest {

    @Test
    void anUnreachableBrokerNeverHoldsUpTheSigner() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        MqttWitness witness = new MqttWitness(Optional.of(new MqttWitness.Settings("tcp://127.0.0.1:" + port,
                "vitalvault/audit/checkpoint", "vitalvault-audit", Optional.of("pw"), Duration.ofSeconds(2),
                SocketFactory.getDefault())), meters);
        try {
            for (long size = 1; size <= 1000; size++) {
                witness.publish("o\n" + size + "\nroot\n\n\u2014 o sig\n", size);
            }
            // Counted as it fails (connection refused), not waited for by publish.
            while (meters.get("vitalvault.audit.witness").tag("outcome", "failed").counter().count() < 1) {
                Thread.sleep(20);
            }
            assertEquals(0, meters.get("vitalvault.audit.witness").tag("outcome", "published").counter().count());
            assertTrue(meters.get("vitalvault.audit.witness").tag("outcome", "replaced").counter().count() >= 998,
                    "waiting notes are replaced by newer ones, never queued");
        } finally {
            witness.stop();
        }
    }

    @Test
    void withoutAUrlNothingStarts() {
        MqttWitness witness = new MqttWitness(Optional.empty(), new SimpleMeterRegistry());
        witness.publish("o\n1\nroot\n\n\u2014 o sig\n", 1);
        assertEquals(-1, witness.largestSeen());
        witness.stop();
    }

    @Test
    void aNoteSizeIsItsSecondLine() {
        assertEquals(1234, NoteSize.of("vitalvault.local/audit\n1234\nroot=\n\n\u2014 sig\n"));
        assertEquals(-1, NoteSize.of("vitalvault.local/audit\n01234\nroot=\n"));
        assertEquals(-1, NoteSize.of("nonsense"));
    }
}
