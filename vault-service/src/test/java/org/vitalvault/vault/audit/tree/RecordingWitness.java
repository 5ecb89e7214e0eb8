package org.vitalvault.vault.audit.tree;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.vitalvault.vault.audit.CheckpointWitness;

/** A witness for tests: keeps what it was given, and fails on demand (a broker away). */
@ApplicationScoped
public class RecordingWitness implements CheckpointWitness {

    /** One publication. */
    public record Published(String note, long size) {
    }

    private final List<Published> published = new CopyOnWriteArrayList<>();
    private volatile boolean failing;

    @Override
    public void publish(String note, long size) {
        if (failing) {
            throw new IllegalStateException("witness away");
        }
        published.add(new Published(note, size));
    }

    public List<Published> published() {
        return List.copyOf(published);
    }

    public void failing(boolean f) {
        failing = f;
    }
}
