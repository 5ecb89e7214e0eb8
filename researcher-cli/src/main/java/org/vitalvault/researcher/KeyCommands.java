package org.vitalvault.researcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The organisation's key, its rotation and registration, the vault's key, and what an operator does. */
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

    @Command(name = "key", description = "The organisation's signing key: rotate it to a new one.",
            subcommands = {Key.Rotate.class})
    static final class Key {

        @Command(name = "rotate", description = {"Make another key the organisation's current key (POST /researchers/{id}/keys):",
            "a JWS typ vitalvault.key-rotation naming the new public key, signed with the current key (--key).",
            "Prints the new key's record. From then on only the new key signs; requests signed with the old one are refused.",
            "No file is changed: point --key or VITALVAULT_KEY at the new key file yourself."})
        static final class Rotate implements Callable<Integer> {
            @Spec
            CommandSpec spec;

            @Mixin
            ResearcherCli.VaultOptions vault;

            @Mixin
            ResearcherCli.SignerOptions signer;

            @Option(names = "--new-key", paramLabel = "FILE", required = true,
                    description = "the new key file, made by `keygen`; only its public half is sent")
            Path newKey;

            @Override
            public Integer call() throws Exception {
                UUID org = signer.org();
                KeyFile current = signer.key();
                KeyFile next = KeyFile.read(newKey);
                if (current.equals(next)) {
                    throw new IllegalArgumentException(newKey + " holds the current key; make a new one with `keygen`");
                }
                String jws = SignedRequests.sign(current, SignedRequests.KEY_ROTATION_TYP,
                        SignedRequests.keyRotation(org, Instant.now(), next));
                JsonNode record = vault.authenticated().postJose("/researchers/" + org + "/keys", jws).json();
                spec.commandLine().getOut().println(ResearcherCli.pretty(record));
                // The vault names the key it made current; one that is not the new file's is not this rotation.
                if (!next.publicJwk().get("x").equals(record.path("publicKey").path("x").asText())) {
                    spec.commandLine().getErr().println("error: the vault's current key is not the one in " + newKey);
                    return ResearcherCli.REFUSED;
                }
                spec.commandLine().getErr().println("key " + record.path("kid").asText() + " is the organisation's key now;"
                        + " the one in " + signer.key + " is retired (requests it signs are refused)."
                        + "\nSign with the new key from now on: --key " + newKey + " or export VITALVAULT_KEY=" + newKey);
                return 0;
            }
        }
    }

    @Command(name = "keys", description = {"Every signing key the organisation has had, oldest first, the current one last",
        "(GET /researchers/{id}/keys): kid, public JWK, validFrom, retiredAt, and the rotation JWS that made it current."})
    static final class Keys implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ResearcherCli.VaultOptions vault;

        @Option(names = "--org", paramLabel = "ORG_ID", defaultValue = "${env:VITALVAULT_ORG}",
                description = "the organisation's id (env VITALVAULT_ORG)")
        UUID org;

        @Override
        public Integer call() throws Exception {
            if (org == null) {
                throw new IllegalArgumentException("the organisation is needed: --org or VITALVAULT_ORG");
            }
            JsonNode keys = vault.authenticated().get("/researchers/" + org + "/keys").json();
            spec.commandLine().getOut().println(ResearcherCli.pretty(keys));
            return 0;
        }
    }

    @Command(name = "operator", description = "What an operator does for researchers (an operator's token).",
            subcommands = {Operator.Approve.class, Operator.Suspend.class, Operator.Reinstate.class, Operator.StatusChanges.class})
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

        @Command(name = "suspend", description = {"Suspend an organisation: its lease requests and queries are refused from now on.",
            "Its leases keep their period and budget, and answer again once it is reinstated. The reason is kept."})
        static final class Suspend implements Callable<Integer> {
            @Spec
            CommandSpec spec;

            @Mixin
            ResearcherCli.VaultOptions vault;

            @Parameters(paramLabel = "ORG_ID", description = "the organisation's id")
            UUID org;

            @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "why (kept with the suspension)")
            String reason;

            @Override
            public Integer call() throws Exception {
                return changeStatus(spec, vault, org, "suspend", reason);
            }
        }

        @Command(name = "reinstate", description = {"Lift an organisation's suspension: approved again (or pending, if it was"
            + " suspended before approval).", "The reason is kept."})
        static final class Reinstate implements Callable<Integer> {
            @Spec
            CommandSpec spec;

            @Mixin
            ResearcherCli.VaultOptions vault;

            @Parameters(paramLabel = "ORG_ID", description = "the organisation's id")
            UUID org;

            @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "why (kept with the reinstatement)")
            String reason;

            @Override
            public Integer call() throws Exception {
                return changeStatus(spec, vault, org, "reinstate", reason);
            }
        }

        @Command(name = "status-changes", description = "Every suspension and reinstatement of an organisation, oldest first:"
                + " status, reason, by whom, when.")
        static final class StatusChanges implements Callable<Integer> {
            @Spec
            CommandSpec spec;

            @Mixin
            ResearcherCli.VaultOptions vault;

            @Parameters(paramLabel = "ORG_ID", description = "the organisation's id")
            UUID org;

            @Override
            public Integer call() throws Exception {
                spec.commandLine().getOut().println(ResearcherCli.pretty(
                        vault.authenticated().get("/operator/researchers/" + org + "/status-changes").json()));
                return 0;
            }
        }

        private static int changeStatus(CommandSpec spec, ResearcherCli.VaultOptions vault, UUID org, String action,
                                        String reason) throws Exception {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("--reason must say why");
            }
            JsonNode view = vault.authenticated().postJson("/operator/researchers/" + org + "/" + action,
                    Map.of("reason", reason)).json();
            spec.commandLine().getOut().println(ResearcherCli.pretty(view));
            spec.commandLine().getErr().println(org + " is " + view.path("status").asText() + " now");
            return 0;
        }
    }
}
