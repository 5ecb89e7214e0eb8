package org.vitalvault.researcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.UUID;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code deploy/researcher.sh}: a researcher organisation's command line — its signing key and its
 * rotation, registration, signed lease requests and queries, answers as CSV, offline checks of what
 * the vault signed, and an operator's approval, suspension and reinstatement of organisations.
 * Data goes to stdout (JSON, CSV, a token), notes and errors to stderr.
 *
 * <p>Exit status: 0 done; 1 the vault refused (its problem's title, detail, field errors and reason
 * codes are printed) or a signature did not verify; 2 a usage or local input error; 3 the vault
 * could not be reached or a file not be written.
 */
@Command(name = "researcher.sh", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "Vital Vault researcher CLI 0.1",
        description = "A researcher organisation's client of the Vital Vault: keys and their rotation, registration,"
                + " signed lease requests and queries, CSV, offline verification of leases and answers"
                + " and of an owner's audit entries (verify-audit).",
        subcommands = {
            KeyCommands.Keygen.class, KeyCommands.Register.class, KeyCommands.Key.class, KeyCommands.Keys.class,
            LeaseCommands.Lease.class, LeaseCommands.Query.class,
            LeaseCommands.Csv.class, VerifyCommands.Verify.class, org.vitalvault.researcher.audit.VerifyAuditCommand.class,
            KeyCommands.VaultKeys.class,
            KeyCommands.DevToken.class, KeyCommands.Operator.class, CommandLine.HelpCommand.class},
        footer = {"", "Environment: VITALVAULT_VAULT (--vault), VITALVAULT_TOKEN (--token), VITALVAULT_ORG (--org),"
                + " VITALVAULT_KEY (--key).",
            "Exit status: 0 done, 1 refused by the vault or not valid, 2 usage or input error, 3 vault unreachable.", ""})
public final class ResearcherCli {

    /** The vault refused, or a signature did not verify. */
    public static final int REFUSED = 1;
    /** A usage or local input error (picocli's own code for usage errors). */
    public static final int USAGE = 2;
    /** The vault could not be reached, or a file not be written. */
    public static final int UNREACHABLE = 3;

    static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with this tool's error handling; tests set its out and err. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new ResearcherCli());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            if (e instanceof VaultRefusal r) {
                err.println(r.describe());
                return REFUSED;
            }
            if (e instanceof NoSuchFileException f) {
                err.println("error: no such file: " + f.getFile());
                return USAGE;
            }
            if (e instanceof FileAlreadyExistsException f) {
                err.println("error: " + f.getFile() + " exists already (--force replaces it)");
                return USAGE;
            }
            if (e instanceof IllegalArgumentException) {
                err.println("error: " + e.getMessage());
                return USAGE;
            }
            if (e instanceof IOException) {
                err.println("error: " + e.getMessage());
                return UNREACHABLE;
            }
            throw e;
        });
        return cli;
    }

    /** Where the vault is and who calls it. */
    static final class VaultOptions {
        @Option(names = "--vault", paramLabel = "URL", defaultValue = "${env:VITALVAULT_VAULT:-http://localhost:8080}",
                description = "the vault's base URL (env VITALVAULT_VAULT; default http://localhost:8080)")
        String vault;

        @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:VITALVAULT_TOKEN}",
                showDefaultValue = CommandLine.Help.Visibility.NEVER,
                description = "bearer token of the organisation's subject (env VITALVAULT_TOKEN)")
        String token;

        VaultHttp anonymous() {
            return new VaultHttp(vault, null);
        }

        VaultHttp authenticated() {
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("a bearer token is needed: --token or VITALVAULT_TOKEN"
                        + " (locally: export VITALVAULT_TOKEN=$(deploy/researcher.sh dev-token SUBJECT))");
            }
            return new VaultHttp(vault, token);
        }
    }

    /** The organisation and its signing key. */
    static final class SignerOptions {
        @Option(names = "--org", paramLabel = "ORG_ID", defaultValue = "${env:VITALVAULT_ORG}",
                description = "the organisation's id, as `register` printed it (env VITALVAULT_ORG)")
        UUID org;

        @Option(names = "--key", paramLabel = "FILE", defaultValue = "${env:VITALVAULT_KEY}",
                description = "the organisation's key file, made by `keygen` (env VITALVAULT_KEY)")
        Path key;

        UUID org() {
            if (org == null) {
                throw new IllegalArgumentException("the organisation is needed: --org or VITALVAULT_ORG");
            }
            return org;
        }

        KeyFile key() throws IOException {
            if (key == null) {
                throw new IllegalArgumentException("the signing key is needed: --key or VITALVAULT_KEY");
            }
            return KeyFile.read(key);
        }
    }

    /** JSON as people read it. */
    static String pretty(JsonNode node) throws IOException {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    }

    /** Writes what the vault answered, byte for byte, creating the folder. */
    static void save(Path file, byte[] body) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Files.write(file, body);
    }

    /** A file's text, or stdin's for {@code -}. */
    static String readInput(String file) throws IOException {
        if (file.equals("-")) {
            return new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        return Files.readString(Path.of(file));
    }
}
