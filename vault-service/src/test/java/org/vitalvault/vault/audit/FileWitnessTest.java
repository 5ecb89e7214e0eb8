package org.vitalvault.vault.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileWitnessTest {

    @TempDir
    Path dir;

    private static String note(long size) {
        return "vitalvault.local/audit\n" + size + "\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\u2014 vitalvault.local/audit sig"
                + size + "\n";
    }

    private static double count(SimpleMeterRegistry meters, String outcome) {
        return meters.get("vitalvault.audit.witness").tag("witness", "file").tag("outcome", outcome).counter().count();
    }

    @Test
    void eachLargerCheckpointReplacesTheFileWhole() throws Exception {
        Path file = dir.resolve("sub/audit-checkpoint.txt");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        FileWitness witness = new FileWitness(Optional.of(file), meters);

        witness.publish(note(3), 3);
        assertEquals(note(3), Files.readString(file, StandardCharsets.UTF_8));
        witness.publish(note(10), 10);
        assertEquals(note(10), Files.readString(file, StandardCharsets.UTF_8));
        assertEquals(2, count(meters, "written"));
        try (Stream<Path> left = Files.list(file.getParent())) {
            assertEquals(List.of("audit-checkpoint.txt", "audit-checkpoint.txt.lock"),
                    left.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file is left behind");
        }
    }

    @Test
    void aSmallerOrEqualCheckpointNeverReplacesALargerOne() throws Exception {
        Path file = dir.resolve("audit-checkpoint.txt");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        FileWitness witness = new FileWitness(Optional.of(file), meters);
        witness.publish(note(50), 50);

        // Another replica sharing the file, which signed an older checkpoint, comes late.
        new FileWitness(Optional.of(file), new SimpleMeterRegistry()).publish(note(40), 40);
        witness.publish(note(50).replace("sig50", "other"), 50);

        assertEquals(note(50), Files.readString(file, StandardCharsets.UTF_8));
        assertEquals(1, count(meters, "older"));
    }

    @Test
    void replicasWritingAtOnceLeaveTheLargestWholeNote() throws Exception {
        Path file = dir.resolve("audit-checkpoint.txt");
        List<Thread> writers = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int r = 0; r < 4; r++) {
            FileWitness replica = new FileWitness(Optional.of(file), new SimpleMeterRegistry());
            int first = r;
            writers.add(new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (long size = first; size < 200; size += 4) {
                    replica.publish(note(size), size);
                }
            }));
        }
        writers.forEach(Thread::start);
        go.countDown();
        for (Thread t : writers) {
            t.join();
        }
        assertEquals(note(199), Files.readString(file, StandardCharsets.UTF_8));
    }

    @Test
    void aFileThatHoldsNoCheckpointIsReplaced() throws Exception {
        Path file = dir.resolve("audit-checkpoint.txt");
        Files.writeString(file, "garbage");
        new FileWitness(Optional.of(file), new SimpleMeterRegistry()).publish(note(0), 0);
        assertEquals(note(0), Files.readString(file, StandardCharsets.UTF_8));
    }

    @Test
    void anUnwritableFileIsCountedNotThrown() throws Exception {
        Path blocker = dir.resolve("not-a-dir");
        Files.writeString(blocker, "x");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        new FileWitness(Optional.of(blocker.resolve("audit-checkpoint.txt")), meters).publish(note(1), 1);
        assertEquals(1, count(meters, "failed"));
    }

    @Test
    void withoutAFileNothingIsWritten() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        new FileWitness(Optional.empty(), meters).publish(note(1), 1);
        assertEquals(0, count(meters, "written") + count(meters, "failed"));
        try (Stream<Path> left = Files.list(dir)) {
            assertTrue(left.findAny().isEmpty());
        }
    }
}
