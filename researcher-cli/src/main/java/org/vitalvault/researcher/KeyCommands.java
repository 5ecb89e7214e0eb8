package org.vitalvault.researcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The organisation's key and registration, the vault's key, and the local stack's helpers. */
final class KeyCommands {

    private KeyCommands() {
    }

    @Command(name = "keygen", description = {"Make the organisation's Ed25519 key pair: a private JWK in FILE (mode 0600).",
        "Prints the public JWK, which `register` sends."})
    static final class Keygen implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "where the key goes")
        Path out;

        @Option(names = "--force", description = "replace an existing key file (the old key is lost)")
        boolean force;

        @Override
        public Integer call() throws Exception {
            KeyFile key = KeyFile.generate();
            key.write(out, force);
            spec.commandLine().getOut().println(ResearcherCli.JSON.writeValueAsString(key.publicJwk()));
            spec.commandLine().getErr().println("private key written to " + out + " (keep it; it signs every request)");
            return 0;
        }
    }

    @Command(name = "register", description = {"Register the organisation with its public key (POST /researchers).",
        "Prints the organisation (its id is --org from now on); an operator approves it before it may lease."})
    static final class Register implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ResearcherCli.VaultOptions vault;

        @Option(names = "--name", required = true, description = "the organisation's name")
        String name;

        @Option(names = "--key", paramLabel = "FILE", defaultValue = "${env:VITALVAULT_KEY}",
                description = "the key file made by `keygen` (env VITALVAULT_KEY); only its public half is sent")
        Path key;

        @Override
        public Integer call() throws Exception {
            if (key == null) {
                throw new IllegalArgumentException("the key file is needed: --key or VITALVAULT_KEY");
            }
            KeyFile k = KeyFile.read(key);
            JsonNode org = vault.authenticated().postJson("/researchers", Map.of("name", name, "publicKey", k.publicJwk())).json();
            spec.commandLine().getOut().println(ResearcherCli.pretty(org));
            spec.commandLine().getErr().println("registered " + org.path("id").asText() + " (" + org.path("status").asText()
                    + "); an operator approves it before it may lease");
            return 0;
        }
    }

    @Command(name = "vault-keys", description = {"Print the vault's public signing keys (GET /vault/keys, no token).",
        "Save them once from a vault you trust; `verify` checks leases and answers against the file offline."})
    static final class VaultKeys implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ResearcherCli.VaultOptions vault;

        @Override
        public Integer call() throws Exception {
            spec.commandLine().getOut().println(ResearcherCli.pretty(vault.anonymous().get("/vault/keys").json()));
            return 0;
        }
    }

    @Command(name = "dev-token", description = {"Print a development bearer token (POST /dev/tokens).",
        "Only the local stack, dev mode and tests have this endpoint; elsewhere your OIDC provider issues tokens."})
    static final class DevToken implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ResearcherCli.VaultOptions vault;

        @Parameters(paramLabel = "SUBJECT", description = "the token's subject, e.g. uni-x")
        String subject;

        @Option(names = "--role", defaultValue = "researcher", description = "researcher (default), operator or owner")
        String role;

        @Override
        public Integer call() throws Exception {
            JsonNode t = vault.anonymous().postJson("/dev/tokens", Map.of("subject", subject, "role", role)).json();
            spec.commandLine().getOut().println(t.path("token").asText());
            return 0;
        }
    }

    @Command(name = "operator", description = "What an operator does for researchers (an operator's token).",
            subcommands = {Operator.Approve.class})
    static final class Operator {
        @Command(name = "approve", description = "Approve a registered organisation, so it may request leases.")
        static final class Approve implements Callable<Integer> {
            @Spec
            CommandSpec spec;

            @Mixin
            ResearcherCli.VaultOptions vault;

            @Parameters(paramLabel = "ORG_ID", description = "the organisation's id")
            UUID org;

            @Override
            public Integer call() throws Exception {
                JsonNode view = vault.authenticated().postJson("/operator/researchers/" + org + "/approve", null).json();
                spec.commandLine().getOut().println(ResearcherCli.pretty(view));
                return 0;
            }
        }
    }
}
