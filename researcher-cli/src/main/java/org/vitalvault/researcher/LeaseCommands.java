package org.vitalvault.researcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Signed lease requests and queries, and answers as CSV. */
final class LeaseCommands {

    private static final String TIMES = "TIME: an instant, a date (UTC midnight), or now|hour|today with an offset,"
            + " e.g. today-28d, hour-24h, now+30d";

    private LeaseCommands() {
    }

    @Command(name = "lease", description = "Leases: ask for one with a signed request, or show one.",
            subcommands = {Lease.Request.class, Lease.Show.class})
    static final class Lease {

        @Command(name = "request", description = {"Sign a lease request (JWS typ vitalvault.lease-request; random requestId,"
            + " issuedAt now) and post it.", "Prints the vault's answer: the lease and its signed document.", TIMES})
        static final class Request implements Callable<Integer> {
            @Spec
            CommandSpec spec;

            @Mixin
            ResearcherCli.VaultOptions vault;

            @Mixin
            ResearcherCli.SignerOptions signer;

            @Option(names = "--purpose", defaultValue = "HRESCH", description = "an HL7 PurposeOfUse code (default HRESCH)")
            String purpose;

            @Option(names = "--metrics", required = true, split = ",", paramLabel = "METRIC",
                    description = "metric codes, e.g. heart_rate,spo2")
            List<String> metrics;

            @Option(names = "--kinds", split = ",", defaultValue = "MEAN,COUNT", paramLabel = "KIND",
                    description = "COUNT, MEAN, SUM, STDDEV, QUANTILES, HISTOGRAM (default MEAN,COUNT)")
            List<String> kinds;

            @Option(names = "--granularity", defaultValue = "DAY", description = "the finest bucket the queries will use:"
                    + " HOUR, DAY, WEEK, MONTH (default DAY)")
            String granularity;

            @Option(names = "--from", required = true, paramLabel = "TIME", description = "the data window's start")
            String from;

            @Option(names = "--until", defaultValue = "now", paramLabel = "TIME", description = "the data window's end (default now)")
            String until;

            @Option(names = "--valid-from", defaultValue = "now", paramLabel = "TIME",
                    description = "when queries may start (default now)")
            String validFrom;

            @Option(names = "--valid-until", defaultValue = "now+30d", paramLabel = "TIME",
                    description = "when the lease ends (default now+30d)")
            String validUntil;

            @Option(names = "--epsilon", required = true, description = "the privacy budget for the whole lease")
            double epsilon;

            @Option(names = "--coop", paramLabel = "COOP_ID", description = "address the request to this co-op")
            UUID coop;

            @Option(names = "--age-bands", split = ",", paramLabel = "BAND", description = "only owners sharing one, e.g. 30-39,40-49")
            List<String> ageBands;

            @Option(names = "--sexes", split = ",", paramLabel = "SEX", description = "only owners sharing one: female, male, other")
            List<String> sexes;

            @Option(names = "--regions", split = ",", paramLabel = "CODE", description = "only owners sharing a region inside one, e.g. DE,FR")
            List<String> regions;

            @Option(names = "--out", paramLabel = "FILE", description = "also save the vault's answer here (for `verify lease`)")
            Path out;

            @Option(names = "--request-out", paramLabel = "FILE",
                    description = "also save the signed request here (for `verify lease --request`)")
            Path requestOut;

            @Override
            public Integer call() throws Exception {
                Instant now = Instant.now();
                UUID org = signer.org();
                KeyFile key = signer.key();
                SignedRequests.LeaseTerms terms = new SignedRequests.LeaseTerms(purpose, metrics, kinds, granularity,
                        new SignedRequests.Window(TimeArg.parse(from, now), TimeArg.parse(until, now)),
                        new SignedRequests.Window(TimeArg.parse(validFrom, now), TimeArg.parse(validUntil, now)),
                        epsilon, coop, ageBands, sexes, regions);
                Map<String, Object> payload = SignedRequests.leaseRequest(org, now, terms);
                String jws = SignedRequests.sign(key, SignedRequests.LEASE_REQUEST_TYP, payload);
                if (requestOut != null) {
                    ResearcherCli.save(requestOut, jws.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
                VaultHttp.Answer a = vault.authenticated().postJose("/researchers/" + org + "/leases", jws);
                if (out != null) {
                    ResearcherCli.save(out, a.body());
                }
                JsonNode answer = a.json();
                spec.commandLine().getOut().println(ResearcherCli.pretty(answer));
                JsonNode lease = answer.path("lease");
                // The vault names the request it answers; a lease naming another is not this request's.
                if (lease.hasNonNull("requestDigest")
                        && !lease.get("requestDigest").asText().equals(Verification.requestDigest(jws))) {
                    spec.commandLine().getErr().println("error: the lease's requestDigest is not this request's SHA-256:"
                            + " it does not answer the request just signed");
                    return ResearcherCli.REFUSED;
                }
                spec.commandLine().getErr().println("lease " + lease.path("leaseId").asText() + " granted: ε "
                        + lease.path("terms").path("epsilon").asText() + ", until " + lease.path("expiresAt").asText());
                return 0;
            }
        }

        @Command(name = "show", description = "A lease: its signed document, budget and what it owes so far.")
        static final class Show implements Callable<Integer> {
            @Spec
            CommandSpec spec;

            @Mixin
            ResearcherCli.VaultOptions vault;

            @Option(names = "--org", paramLabel = "ORG_ID", defaultValue = "${env:VITALVAULT_ORG}",
                    description = "the organisation's id (env VITALVAULT_ORG)")
            UUID org;

            @Parameters(paramLabel = "LEASE_ID")
            UUID lease;

            @Override
            public Integer call() throws Exception {
                if (org == null) {
                    throw new IllegalArgumentException("the organisation is needed: --org or VITALVAULT_ORG");
                }
                spec.commandLine().getOut().println(ResearcherCli.pretty(
                        vault.authenticated().get("/researchers/" + org + "/leases/" + lease).json()));
                return 0;
            }
        }
    }

    @Command(name = "query", description = {"Sign a query inside a lease (JWS typ vitalvault.lease-query; random queryId,"
        + " issuedAt now) and post it.", "Prints the answer as JSON, or with --csv as CSV (one row per released number).",
        "--from must start a bucket: a whole hour for HOUR (hour-24h), a UTC midnight otherwise (today-7d).", TIMES})
    static final class Query implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ResearcherCli.VaultOptions vault;

        @Mixin
        ResearcherCli.SignerOptions signer;

        @Option(names = "--lease", required = true, paramLabel = "LEASE_ID", description = "the lease")
        UUID lease;

        @Option(names = "--metric", required = true, description = "one metric code, e.g. heart_rate")
        String metric;

        @Option(names = "--kinds", split = ",", defaultValue = "MEAN", paramLabel = "KIND",
                description = "kinds the lease covers (default MEAN); COUNT comes with MEAN and STDDEV when leased")
        List<String> kinds;

        @Option(names = "--quantiles", split = ",", paramLabel = "P", description = "probabilities for QUANTILES, e.g. 0.5,0.9")
        List<Double> quantiles;

        @Option(names = "--granularity", defaultValue = "DAY", description = "HOUR, DAY, WEEK, MONTH (default DAY)")
        String granularity;

        @Option(names = "--from", required = true, paramLabel = "TIME", description = "the first bucket's start")
        String from;

        @Option(names = "--until", required = true, paramLabel = "TIME", description = "the end of the last bucket")
        String until;

        @Option(names = "--epsilon", required = true, description = "the privacy loss this query spends of the lease")
        double epsilon;

        @Option(names = "--csv", description = "print CSV instead of JSON")
        boolean csv;

        @Option(names = "--out", paramLabel = "FILE", description = "also save the answer JSON here (for `verify answer`, `csv`)")
        Path out;

        @Override
        public Integer call() throws Exception {
            Instant now = Instant.now();
            UUID org = signer.org();
            KeyFile key = signer.key();
            SignedRequests.Query q = new SignedRequests.Query(lease, metric, kinds, quantiles, granularity,
                    new SignedRequests.Window(TimeArg.parse(from, now), TimeArg.parse(until, now)), epsilon);
            String jws = SignedRequests.sign(key, SignedRequests.QUERY_TYP, SignedRequests.query(now, q));
            VaultHttp.Answer a = vault.authenticated().postJose("/researchers/" + org + "/leases/" + lease + "/queries", jws);
            if (out != null) {
                ResearcherCli.save(out, a.body());
            }
            JsonNode answer = a.json();
            spec.commandLine().getOut().print(csv ? AnswerCsv.of(answer) : ResearcherCli.pretty(answer) + "\n");
            spec.commandLine().getOut().flush();
            JsonNode budget = answer.path("budget");
            spec.commandLine().getErr().println("query " + answer.path("queryId").asText() + ": " + answer.path("buckets").size()
                    + " buckets; lease budget spent " + budget.path("spent").asText() + " of " + budget.path("total").asText());
            return 0;
        }
    }

    @Command(name = "csv", description = "Print a saved query answer (query --out) as CSV, offline.")
    static final class Csv implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ANSWER", description = "the answer JSON file, or - for stdin")
        String file;

        @Override
        public Integer call() throws Exception {
            JsonNode answer;
            try {
                answer = ResearcherCli.JSON.readTree(ResearcherCli.readInput(file));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException(file + " is not JSON");
            }
            spec.commandLine().getOut().print(AnswerCsv.of(answer));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
