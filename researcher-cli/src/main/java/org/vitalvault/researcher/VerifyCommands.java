package org.vitalvault.researcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Offline checks of what the vault signed ({@link Verification}); no network. */
final class VerifyCommands {

    private VerifyCommands() {
    }

    @Command(name = "verify", description = {"Check a lease or an answer offline against the vault's public key.",
        "Prints VALID and the signed document (exit 0), or INVALID and why (exit 1)."},
            subcommands = {Verify.LeaseDocument.class, Verify.Answer.class})
    static final class Verify {

        abstract static class Base implements Callable<Integer> {
            @Spec
            CommandSpec spec;

            @Option(names = "--keys", required = true, paramLabel = "FILE",
                    description = "the vault's keys saved from GET /vault/keys (`vault-keys > FILE`), or the key's base64url x")
            String keys;

            @Parameters(paramLabel = "FILE", description = "what to check, or - for stdin")
            String file;

            @Override
            public Integer call() throws Exception {
                String input = ResearcherCli.readInput(file);
                PrintWriter out = spec.commandLine().getOut();
                try {
                    Verification.Verified v = check(input);
                    out.println(summary(v));
                    out.println(ResearcherCli.pretty(v.payload()));
                    return 0;
                } catch (Verification.Invalid e) {
                    out.println("INVALID: " + e.getMessage());
                    return ResearcherCli.REFUSED;
                }
            }

            abstract Verification.Verified check(String input) throws Exception;

            abstract String summary(Verification.Verified v);
        }

        @Command(name = "lease", description = {"A lease document (typ vitalvault.lease): the compact JWS, or the JSON"
            + " `lease request --out` saved."})
        static final class LeaseDocument extends Base {
            @Option(names = "--request", paramLabel = "FILE",
                    description = "the signed request (lease request --request-out): the lease must answer it")
            String request;

            @Override
            Verification.Verified check(String input) throws Exception {
                return Verification.lease(input, keys, request == null ? null : ResearcherCli.readInput(request));
            }

            @Override
            String summary(Verification.Verified v) {
                JsonNode d = v.payload();
                String s = "VALID lease " + d.path("leaseId").asText() + " for " + d.path("organisation").path("name").asText()
                        + ", ε " + d.path("terms").path("epsilon").asText() + ", expires " + d.path("expiresAt").asText()
                        + (v.checked().contains("requestDigest") ? "; answers the given request" : "");
                try {
                    if (!Instant.parse(d.path("expiresAt").asText()).isAfter(Instant.now())) {
                        s += "\nnote: the lease period has ended";
                    }
                } catch (RuntimeException e) {
                    // no readable expiry: nothing to add
                }
                return s;
            }
        }

        @Command(name = "answer", description = {"A query answer (typ vitalvault.query-answer): the answer JSON"
            + " `query --out` saved (its `signed` member), or the compact JWS.",
            "The answer's other members must equal what the vault signed."})
        static final class Answer extends Base {
            @Override
            Verification.Verified check(String input) throws Exception {
                return Verification.answer(input, keys);
            }

            @Override
            String summary(Verification.Verified v) {
                JsonNode p = v.payload();
                return "VALID answer to query " + p.path("queryId").asText() + " in lease " + p.path("leaseId").asText()
                        + (v.checked().isEmpty() ? "" : "; the unsigned " + String.join(", ", v.checked())
                        + " equal what the vault signed");
            }
        }
    }
}
