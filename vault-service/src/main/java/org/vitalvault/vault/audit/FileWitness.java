package org.vitalvault.vault.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.vitalvault.vault.config.VaultConfig;

/**
 * The file witness ({@code vitalvault.audit.checkpoint-file}): the file always holds one whole
 * signed checkpoint note, the largest tree size written so far. A write goes to a temporary file in
 * the same directory, is forced to disk and moved over the file atomically, so a reader (a backup,
 * {@code cat}, another machine's copy job) never sees half a note.
 *
 * <p>Never backwards: a note whose size is not larger than the file's is not written. Replicas that
 * share the file take turns through an exclusive lock on {@code <file>.lock}, so one that signed an
 * older checkpoint cannot replace a newer one between the read and the move.
 *
 * <p>A failure is logged and counted ({@code vitalvault.audit.witness{witness=file,outcome=failed}}),
 * never thrown: the checkpoint is stored and served anyway, and the next one tries again.
 */
// Looked up by the signer as every CheckpointWitness: never removed as unused.
@Unremovable
@ApplicationScoped
public class FileWitness implements CheckpointWitness {

    private static final Logger LOG = Logger.getLogger(FileWitness.class);
    /** File locks exclude other processes only; within one JVM a second lock on the file would throw. */
    private static final Object IN_THIS_PROCESS = new Object();

    private final Optional<Path> file;
    private final Counter written;
    private final Counter skipped;
    private final Counter failed;

    @Inject
    public FileWitness(VaultConfig config, MeterRegistry meters) {
        this(config.audit().checkpointFile(), meters);
    }

    public FileWitness(Optional<Path> file, MeterRegistry meters) {
        this.file = file.map(Path::toAbsolutePath);
        this.written = counter(meters, "written");
        this.skipped = counter(meters, "older");
        this.failed = counter(meters, "failed");
    }

    private static Counter counter(MeterRegistry meters, String outcome) {
        return Counter.builder("vitalvault.audit.witness").tag("witness", "file").tag("outcome", outcome)
                .description("Checkpoints handed to a witness, by outcome").register(meters);
    }

    @Override
    public void publish(String note, long size) {
        if (file.isEmpty()) {
            return;
        }
        Path target = file.get();
        try {
            if (write(target, note, size)) {
                written.increment();
            } else {
                skipped.increment();
            }
        } catch (IOException | RuntimeException e) {
            failed.increment();
            LOG.warnf("checkpoint of size %d not written to %s: %s", size, target, e.toString());
        }
    }

    /** Writes {@code note} unless the file holds a checkpoint at least as large; true when written. */
    static boolean write(Path target, String note, long size) throws IOException {
        synchronized (IN_THIS_PROCESS) {
            return writeLocked(target, note, size);
        }
    }

    private static boolean writeLocked(Path target, String note, long size) throws IOException {
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path lockFile = target.resolveSibling(target.getFileName() + ".lock");
        try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = lockChannel.lock()) {
            long current = sizeIn(target);
            if (current >= size) {
                return false;
            }
            Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try {
                try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    ByteBuffer bytes = ByteBuffer.wrap(note.getBytes(StandardCharsets.UTF_8));
                    while (bytes.hasRemaining()) {
                        out.write(bytes);
                    }
                    out.force(true);
                }
                // Readable by witnesses' copy jobs: a checkpoint is public (hashes and a size).
                tmp.toFile().setReadable(true, false);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return true;
        }
    }

    /** The tree size of the note in {@code file}, or -1 when there is none (anything else there is replaced). */
    static long sizeIn(Path file) throws IOException {
        return Files.exists(file) ? NoteSize.of(Files.readString(file, StandardCharsets.UTF_8)) : -1;
    }
}
