package org.vitalvault.vault.erasure;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.vitalvault.vault.config.VaultConfig;

/**
 * The erasure journal (vitalvault.erasure.journal-file, docs/decisions/040): one line per owner
 * erasure, {@code <erasedAt> <ownerId> <receiptId>}, appended and forced to disk after the erasure
 * committed, in a file that lives outside the database and its backups. A database restored from a
 * backup taken before an erasure holds the erased owner again; at start-up the vault reads the
 * journal and erases every journaled owner the database still holds.
 *
 * <p>What it keeps: owner ids (random, and linked to nobody once their rows are gone) and receipt
 * ids; never a subject. The window: a crash between the commit and the append loses that entry
 * (logged at ERROR when the append itself fails).
 */
@ApplicationScoped
public class ErasureJournal {

    private static final Logger LOG = Logger.getLogger(ErasureJournal.class);

    @Inject
    VaultConfig config;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OwnerErasure erasure;

    /** Appends the receipt's entry; without a journal file, does nothing. */
    synchronized void append(ErasureReceipt receipt) {
        Optional<Path> file = config.erasure().journalFile();
        if (file.isEmpty()) {
            return;
        }
        String line = receipt.erasedAt() + " " + receipt.ownerId() + " " + receipt.receiptId() + "\n";
        try (FileChannel ch = FileChannel.open(file.get(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        } catch (IOException e) {
            LOG.errorf("erasure %s is NOT in the erasure journal %s (%s): a restore from an earlier backup"
                    + " would bring this owner back", receipt.receiptId(), file.get(), e.getMessage());
        }
    }

    /** Erases again, at start-up, every journaled owner the database holds (a restore brought them back). */
    void replay(@Observes @Priority(10) StartupEvent event) throws IOException, SQLException {
        Optional<Path> file = config.erasure().journalFile();
        if (file.isEmpty() || !Files.exists(file.get())) {
            return;
        }
        Map<UUID, String> journaled = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file.get(), StandardCharsets.US_ASCII)) {
            String[] f = line.trim().split(" ");
            if (f.length == 3) {
                journaled.put(UUID.fromString(f[1]), f[0]);
            }
        }
        for (UUID owner : stillPresent(new ArrayList<>(journaled.keySet()))) {
            ErasureReceipt.Signed again = erasure.eraseAgain(owner);
            LOG.warnf("erasure journal: erased again an owner erased at %s whom the database held again (restored"
                    + " from an earlier backup); receipt %s", journaled.get(owner), again.receipt().receiptId());
        }
    }

    private List<UUID> stillPresent(List<UUID> owners) throws SQLException {
        List<UUID> present = new ArrayList<>();
        if (owners.isEmpty()) {
            return present;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select owner_id from owner where owner_id = any(?)")) {
            ps.setArray(1, c.createArrayOf("uuid", owners.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    present.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return present;
    }
}
