package org.vitalvault.deploy.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.vitalvault.deploy.simulator.Fleet;
import org.vitalvault.deploy.simulator.HistoryPublisher;
import org.vitalvault.deploy.stack.VaultClient;
import org.vitalvault.researcher.KeyFile;

/**
 * {@code run-local.sh --sandbox}: a researcher's playground on the local stack, so that a lease is
 * granted and its queries release numbers. Made through the vault's REST API and the gateway, as a
 * real organisation and real owners would:
 * <ol>
 *   <li>a demo organisation ("Sandbox Cardiology", token subject {@value #SUBJECT}) with an Ed25519
 *       key in the researcher CLI's key-file format ({@code sandbox/demo-org.key}), registered and
 *       approved by an operator;</li>
 *   <li>every simulated owner grants it consent ({@link #terms}) and shares coarse attributes
 *       (age band, sex, region) for cohort filters;</li>
 *   <li>{@code days} of back-dated heart rate and SpO₂ per owner, published by the owner's own
 *       devices through the broker and gateway ({@link HistoryPublisher}).</li>
 * </ol>
 * Idempotent across runs on the same data folder: {@code sandbox/sandbox.json} records the
 * organisation, each owner's grant and how far their history goes; a later run adds only what is
 * missing (new owners, a lapsed grant, the history since the last run, within the gateway's 30 days).
 * {@code sandbox/demo-org.env} holds the exports the researcher CLI reads (VITALVAULT_ORG, _KEY, _VAULT).
 */
public final class ResearcherSandbox {

    /** The demo organisation's token subject: {@code deploy/researcher.sh dev-token sandbox-researcher}. */
    public static final String SUBJECT = "sandbox-researcher";
    /** Its name. */
    public static final String NAME = "Sandbox Cardiology (demo)";
    /** Metrics the owners consent to. */
    public static final List<String> METRICS = List.of("heart_rate", "spo2", "respiratory_rate", "body_temperature");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> AGE_BANDS = List.of("18-29", "30-39", "40-49", "50-59", "60-69", "70-79");
    private static final List<String> SEXES = List.of("female", "male");
    private static final List<String> REGIONS = List.of("DE", "DE-BY", "FR", "NL", "DE-BE");

    /** What the sandbox set up, for the READY lines. */
    public record Demo(UUID orgId, Path keyFile, Path envFile, int owners, int days, long readingsPublished) {
    }

    private ResearcherSandbox() {
    }

    /**
     * Sets up (or tops up) the sandbox for {@code fleet}; call before the live simulator connects.
     *
     * @param dir the sandbox's folder inside the data folder
     */
    public static Demo ensure(Path dir, List<Fleet.SimOwner> fleet, int days, boolean mac, VaultClient vault, String vaultUrl,
                              String brokerUrl) throws Exception {
        Files.createDirectories(dir);
        Path stateFile = dir.resolve("sandbox.json");
        ObjectNode state = Files.exists(stateFile) ? (ObjectNode) JSON.readTree(stateFile.toFile()) : JSON.createObjectNode();
        Path keyFile = dir.resolve("demo-org.key");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        // 1. The organisation, registered once and approved by an operator.
        UUID org;
        if (state.hasNonNull("organisation") && Files.exists(keyFile)) {
            org = UUID.fromString(state.get("organisation").asText());
        } else {
            KeyFile key = KeyFile.generate();
            key.write(keyFile, true);
            VaultClient.Reply r = vault.send("POST", "/researchers", vault.devToken(SUBJECT, "researcher"),
                    Map.of("name", NAME, "publicKey", key.publicJwk()));
            if (r.status() == 409) {
                throw new IllegalStateException("this data folder's vault has a sandbox organisation whose key is lost ("
                        + keyFile + "); start over with a fresh data folder (rm -rf data)");
            }
            expect(r, 201, "registering the sandbox organisation");
            org = UUID.fromString(r.body().get("id").asText());
            expect(vault.send("POST", "/operator/researchers/" + org + "/approve", vault.devToken("sandbox-operator", "operator"), null),
                    200, "approving the sandbox organisation");
            state.removeAll();
            state.put("organisation", org.toString());
            save(stateFile, state);
        }

        // 2. Consent and shared attributes, per owner; 3. history, per owner, in parallel.
        ObjectNode owners = state.has("owners") ? (ObjectNode) state.get("owners") : state.putObject("owners");
        Instant historyStart = now.minus(Duration.ofDays(days));
        AtomicLong published = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < fleet.size(); i++) {
                Fleet.SimOwner owner = fleet.get(i);
                int n = i;
                ObjectNode entry;
                synchronized (owners) {
                    entry = owners.has(owner.subject()) ? (ObjectNode) owners.get(owner.subject()) : owners.putObject(owner.subject());
                }
                work.add(pool.submit(() -> {
                    String token = vault.devToken(owner.subject(), "owner");
                    Instant grantedUntil = entry.hasNonNull("grantedUntil") ? Instant.parse(entry.get("grantedUntil").asText()) : Instant.EPOCH;
                    if (grantedUntil.isBefore(now.plus(Duration.ofDays(7)))) {
                        Instant until = now.plus(Duration.ofDays(180));
                        expect(vault.send("POST", "/owners/" + owner.ownerId() + "/grants", token,
                                Map.of("audience", Map.of("researcher", org.toString()), "terms", terms(now, until))), 201,
                                "granting consent to the sandbox organisation");
                        expect(vault.send("PUT", "/owners/" + owner.ownerId() + "/attributes", token, Map.of(
                                "ageBand", AGE_BANDS.get(n % AGE_BANDS.size()), "sex", SEXES.get(n % SEXES.size()),
                                "region", REGIONS.get(n % REGIONS.size()))), 200, "sharing attributes");
                        synchronized (owners) {
                            entry.put("grantedUntil", until.toString());
                        }
                    }
                    Instant from = entry.hasNonNull("historyUntil") ? Instant.parse(entry.get("historyUntil").asText()) : historyStart;
                    if (from.isBefore(historyStart)) {
                        from = historyStart;
                    }
                    if (Duration.between(from, now).toMinutes() >= 15) {
                        published.addAndGet(HistoryPublisher.publish(owner, from, now, mac, brokerUrl, 7919L * (n + 1)));
                        synchronized (owners) {
                            entry.put("historyUntil", now.toString());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(5, java.util.concurrent.TimeUnit.MINUTES);   // what finished is recorded
            synchronized (owners) {
                save(stateFile, state);
            }
        }

        Path env = dir.resolve("demo-org.env");
        Files.writeString(env, "# the sandbox's demo organisation, for deploy/researcher.sh: . " + env + "\n"
                + "export VITALVAULT_ORG=" + org + "\n"
                + "export VITALVAULT_KEY='" + keyFile.toAbsolutePath() + "'\n"
                + "export VITALVAULT_VAULT=" + vaultUrl + "\n", StandardCharsets.UTF_8);
        return new Demo(org, keyFile.toAbsolutePath(), env.toAbsolutePath(), fleet.size(), days, published.get());
    }

    /**
     * The sandbox owners' terms: the four simulated vitals, every aggregate kind, hourly or coarser,
     * data of the last and the next year, for 180 days; k 11 (the system minimum); ε 2 per lease and
     * 10 per year (the system caps), so a researcher can try many leases and queries.
     */
    static Map<String, Object> terms(Instant now, Instant until) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("purposes", List.of("HRESCH", "PUBHLTH", "POPHLTH"));
        t.put("metrics", METRICS);
        t.put("kinds", List.of("COUNT", "MEAN", "SUM", "STDDEV", "QUANTILES", "HISTOGRAM"));
        t.put("granularity", "HOUR");
        Instant today = now.truncatedTo(ChronoUnit.DAYS);
        t.put("dataWindow", Map.of("from", today.minus(Duration.ofDays(365)).toString(), "until", today.plus(Duration.ofDays(365)).toString()));
        t.put("validity", Map.of("until", until.toString()));
        t.put("minimumCohort", 11);
        t.put("epsilonPerLease", 2.0);
        t.put("epsilonPerYear", 10.0);
        t.put("priceTier", "STANDARD");
        return t;
    }

    private static void expect(VaultClient.Reply r, int status, String what) {
        if (r.status() != status) {
            throw new IllegalStateException(what + " answered " + r.status() + ": " + r.body());
        }
    }

    private static void save(Path file, JsonNode state) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), ".sandbox", ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), state);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
