package org.vitalvault.researcher.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.vitalvault.tlog.NoteKey;
import org.vitalvault.tlog.ProofException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code verify-audit} ({@code deploy/verify-audit.sh}): an owner's offline check of their audit
 * entries ({@link AuditVerifier}). Exit 0 when everything verified (pending entries allowed), 1 when
 * anything failed, 2 on a usage or input error.
 */
@Command(name = "verify-audit", description = {
    "Check an owner's audit (the JSON of GET /owners/{id}/audit) offline against the vault's pinned key.",
    "Prints a CHECKPOINT and a CONSISTENCY line, one VERIFIED / PENDING / FAILED line per entry and a RESULT line.",
    "Exit 0 verified (pending allowed), 1 something failed, 2 usage or input error."})
public final class VerifyAuditCommand implements Callable<Integer> {

    static final int FAILED = 1;
    static final int USAGE = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--key", required = true, paramLabel = "KEY",
            description = "the vault's verifier key name+id+base64, or a file holding it or GET /audit/key's JSON")
    String key;

    @Option(names = "--audit", required = true, paramLabel = "FILE", description = "the audit response JSON, or - for stdin")
    String audit;

    @Option(names = "--held", paramLabel = "FILE",
            description = "a checkpoint note kept from before: the new tree must extend it (ask the vault with since=<its size>)")
    Path held;

    @Option(names = "--save-held", description = "when everything verified, write the new checkpoint note to --held")
    boolean saveHeld;

    @Option(names = "--owner", paramLabel = "OWNER_ID", required = true,
            description = "the owner the entries must be about (required: otherwise another owner's complete chain would verify)")
    UUID owner;

    @Option(names = "--after-seq", paramLabel = "N", defaultValue = "0",
            description = "the afterSeq the page was fetched with (default 0: the page starts at seq 1)")
    long afterSeq;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (saveHeld && held == null) {
            err.println("error: --save-held needs --held FILE");
            return USAGE;
        }
        NoteKey pinned;
        try {
            pinned = NoteKey.parse(verifierKey(key));
        } catch (ProofException e) {
            err.println("error: --key: " + e.getMessage());
            return USAGE;
        }
        String heldNote = null;
        if (held != null) {
            if (Files.exists(held)) {
                heldNote = Files.readString(held, StandardCharsets.UTF_8);
            } else if (!saveHeld) {
                err.println("error: no such file: " + held + " (with --save-held a missing file means: first check)");
                return USAGE;
            }
        }
        JsonNode response;
        try {
            String text = audit.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(audit), StandardCharsets.UTF_8);
            response = JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            err.println("error: --audit is not JSON: " + e.getOriginalMessage());
            return USAGE;
        } catch (java.nio.file.NoSuchFileException e) {
            err.println("error: no such file: " + e.getFile());
            return USAGE;
        }
        if (response == null || !response.isObject()) {
            err.println("error: --audit is not a JSON object");
            return USAGE;
        }
        // The owner's last entry verified before, kept next to the held checkpoint (as the app keeps it).
        Path heldEntryFile = held == null ? null : held.resolveSibling(held.getFileName() + ".entry");
        AuditVerifier.HeldEntry heldEntry = null;
        if (heldEntryFile != null && heldNote != null && Files.exists(heldEntryFile)) {
            try {
                heldEntry = AuditVerifier.HeldEntry.parse(Files.readString(heldEntryFile, StandardCharsets.UTF_8));
            } catch (ProofException e) {
                err.println("error: " + heldEntryFile + ": " + e.getMessage());
                return USAGE;
            }
        }
        AuditVerifier.Report report = AuditVerifier.verify(response, pinned, heldNote, heldEntry, owner, afterSeq);
        report.lines().forEach(out::println);
        JsonNode next = response.path("nextAfterSeq");
        if (next.canConvertToLong() && !next.isNull()) {
            out.println("MORE entries after seq " + next.asLong() + ": fetch afterSeq=" + next.asLong()
                    + " and check it with --after-seq " + next.asLong());
        }
        out.flush();
        if (!report.verified()) {
            return FAILED;
        }
        if (saveHeld) {
            if (report.lastEntry() != null && (heldEntry == null || report.lastEntry().seq() >= heldEntry.seq())) {
                save(heldEntryFile, report.lastEntry().text());
            }
            save(held, report.checkpointNote());
            err.println("saved the checkpoint of size " + report.checkpoint().size() + " to " + held);
        }
        return 0;
    }

    /** The verifier key itself, or read from a file (a bare key, or GET /audit/key's JSON). */
    static String verifierKey(String keyOrFile) throws IOException, ProofException {
        Path p = Path.of(keyOrFile);
        String k = keyOrFile;
        if (!keyOrFile.contains("+") || Files.isRegularFile(p)) {
            if (!Files.isRegularFile(p)) {
                throw new ProofException("neither a verifier key nor a file: " + keyOrFile);
            }
            k = Files.readString(p, StandardCharsets.UTF_8).trim();
            if (k.startsWith("{")) {
                JsonNode json = JSON.readTree(k);
                if (!json.path("verifierKey").isTextual()) {
                    throw new ProofException(keyOrFile + " has no verifierKey");
                }
                k = json.path("verifierKey").asText();
            }
        }
        return k.trim();
    }

    private static void save(Path file, String note) throws IOException {
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), ".held", ".tmp");
        Files.writeString(tmp, note, StandardCharsets.UTF_8);
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
