package org.vitalvault.vault.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.vitalvault.vault.support.ConsentFixtures;
import org.vitalvault.vault.support.ConsentFixtures.TestOwner;
import org.vitalvault.vault.support.Researchers;
import org.vitalvault.vault.support.Tokens;

/**
 * The authorization matrix (issue 15, decision 038): every operation of the API document × every kind
 * of caller × every kind of target answers exactly the documented refusal, in problem JSON, and the
 * refused calls change nothing in the database.
 *
 * <p>The documented rules: a path that is not canonical is refused 400 before routing, whoever asks
 * (decision 023); no valid token (none, not a JWT, expired, signed by another key, another issuer)
 * is 401; a valid token of the wrong role is 403; a path id that is unknown, not an id at all, or
 * another principal's (another owner's device, another organisation's key) is 404, exactly like an
 * unknown one (decisions 013, 020). Co-ops are shared between owners: any owner reads any co-op.
 *
 * <p>Operations are read from {@code /q/openapi}: one that has no row in {@link #ROLES} fails the
 * test, so a new endpoint cannot ship without saying who may call it.
 */
@QuarkusTest
class AuthorizationMatrixTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");
    private static final Set<String> PUBLIC = Set.of("GET /vault/keys", "POST /dev/tokens", "GET /app/config.json",
            "GET /dev/oidc/authorize", "POST /dev/oidc/authorize", "POST /dev/oidc/token",
            "GET /audit/checkpoint", "GET /audit/key", "GET /audit/consistency");
    /** The role of an operation any signed-in caller with a role may call (the log's deployment entries). */
    private static final String ANY_ROLE = "any role";

    /** Who may call each guarded operation. A new operation must be added here (the test fails until it is). */
    private static final Map<String, String> ROLES = roles();

    /** Path parameters that name something a principal owns; {@code coopId} is shared between owners. */
    private static final Set<String> OWNED_CHILDREN = Set.of("deviceId", "grantId", "kid", "delegationId", "episodeId");

    @TestHTTPResource("/")
    URI base;

    @Inject
    AgroalDataSource db;

    private final HttpClient http = HttpClient.newHttpClient();

    enum Caller {
        NONE(false), MALFORMED(false), UNSIGNED(false), EXPIRED(false), FORGED(false), WRONG_ISSUER(false),
        NO_ROLE(true), CAREGIVER(true), OWNER_UNREGISTERED(true),
        OWNER_A(true), OWNER_B(true), RESEARCHER_R(true), RESEARCHER_S(true), OPERATOR(true),
        /** A clinician who opened an emergency episode with owner A and with owner B. */
        CLINICIAN(true);

        final boolean valid;

        Caller(boolean valid) {
            this.valid = valid;
        }

        String role() {
            return switch (this) {
                case OWNER_A, OWNER_B, OWNER_UNREGISTERED -> "owner";
                case CAREGIVER -> "caregiver";
                case RESEARCHER_R, RESEARCHER_S -> "researcher";
                case OPERATOR -> "operator";
                case CLINICIAN -> "clinician";
                default -> null;
            };
        }
    }

    /**
     * Whose ids the path carries: the principal's own (owner A, organisation R; for the operator an
     * existing organisation), its parent with another principal's child id, unknown ids, something
     * that is no id, or a dot segment.
     */
    enum Target { EXISTING, FOREIGN_CHILD, UNKNOWN, MALFORMED, DOT_SEGMENT }

    /** Ids of one principal's things, by path parameter name. */
    private record World(String token, Map<String, String> ids) {
    }

    private record Call(String operation, Caller caller, Target target) {
        @Override
        public String toString() {
            return operation + " as " + caller + " on " + target;
        }
    }

    @Test
    void everyOperationRefusesEveryWrongCallerAndTargetAsDocumentedAndChangesNothing() throws Exception {
        JsonNode doc = JSON.readTree(given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .extract().asString());
        Map<String, JsonNode> operations = operations(doc);
        List<String> unknown = operations.keySet().stream()
                .filter(op -> !PUBLIC.contains(op) && !ROLES.containsKey(op)).toList();
        assertEquals(List.of(), unknown, "operations without a row in the authorization matrix");
        assertEquals(List.of(), ROLES.keySet().stream().filter(op -> !operations.containsKey(op)).toList(),
                "rows for operations the API no longer has");

        Map<Caller, World> worlds = worlds();
        Map<String, String> checksumBefore = checksums();

        List<String> faults = new ArrayList<>();
        List<Call> allowed = new ArrayList<>();
        int refused = 0;
        for (Map.Entry<String, JsonNode> op : operations.entrySet()) {
            if (PUBLIC.contains(op.getKey())) {
                continue;
            }
            for (Caller caller : Caller.values()) {
                for (Target target : targets(op.getKey())) {
                    Call call = new Call(op.getKey(), caller, target);
                    Integer expected = expected(call);
                    if (expected == null) {
                        allowed.add(call);
                        continue;
                    }
                    refused++;
                    HttpResponse<String> r = send(call, op.getValue(), worlds);
                    String type = r.headers().firstValue("Content-Type").orElse("");
                    if (r.statusCode() != expected) {
                        faults.add(call + ": " + r.statusCode() + " instead of " + expected + " " + abbreviate(r.body()));
                    } else if (!type.startsWith("application/problem+json")) {
                        faults.add(call + ": " + r.statusCode() + " is not problem JSON (" + type + ")");
                    }
                }
            }
        }
        Map<String, String> checksumAfter = checksums();
        assertEquals(List.of(), faults, faults.size() + " of " + refused + " refusals are wrong");
        assertTrue(refused > 1000, "the matrix covers every operation, caller and target: " + refused + " refusals");
        assertEquals(checksumBefore, checksumAfter, "a refused call changed a table");

        // The principals themselves get past authorization on reads (they may still be asked for a valid query).
        Set<Caller> registered = Set.of(Caller.OWNER_A, Caller.OWNER_B, Caller.RESEARCHER_R, Caller.RESEARCHER_S,
                Caller.OPERATOR, Caller.CLINICIAN);
        for (Call call : allowed) {
            if (registered.contains(call.caller()) && call.operation().startsWith("GET ")
                    && !call.operation().contains("{leaseId}")) {
                int status = send(call, operations.get(call.operation()), worlds).statusCode();
                if (status == 401 || status == 403 || status == 404) {
                    faults.add(call + ": " + status + ", but the caller owns the target");
                }
            }
        }
        assertEquals(List.of(), faults);
    }

    /** The documented answer, or null where the caller may do it (not part of the refusal matrix). */
    private static Integer expected(Call call) {
        String role = ROLES.get(call.operation());
        if (call.target() == Target.DOT_SEGMENT) {
            return 400;
        }
        if (!call.caller().valid) {
            return 401;
        }
        if (role.equals(ANY_ROLE) ? call.caller().role() == null
                : call.caller().role() == null || !List.of(role.split("\\|")).contains(call.caller().role())) {   // null: no role at all; "a|b": either
            return 403;
        }
        return switch (call.target()) {
            case UNKNOWN, MALFORMED, FOREIGN_CHILD -> 404;
            case EXISTING -> {
                boolean principal = call.caller() == Caller.OWNER_A || call.caller() == Caller.RESEARCHER_R
                        || call.caller() == Caller.OPERATOR || call.caller() == Caller.CLINICIAN;
                boolean pathNamesAPrincipal = call.operation().contains("{ownerId}") || call.operation().contains("{orgId}");
                if (principal || !pathNamesAPrincipal && !ownsChild(call.operation())) {
                    // The caller's own things, or a shared one (any owner reads any co-op). A lease id is
                    // never the caller's here (no lease fixture): refused like an unknown one.
                    yield call.operation().contains("{leaseId}") ? 404 : null;
                }
                yield 404;   // owner B on owner A's ids, organisation S on R's
            }
            default -> throw new IllegalStateException();
        };
    }

    private static boolean ownsChild(String operation) {
        return OWNED_CHILDREN.stream().anyMatch(p -> operation.contains("{" + p + "}"));
    }

    /** Operations without path ids have only one target. */
    private static List<Target> targets(String operation) {
        if (!operation.contains("{")) {
            return List.of(Target.EXISTING);
        }
        List<Target> t = new ArrayList<>(List.of(Target.EXISTING, Target.UNKNOWN, Target.MALFORMED, Target.DOT_SEGMENT));
        if (ownsChild(operation) && (operation.contains("{ownerId}") || operation.contains("{orgId}"))) {
            t.add(Target.FOREIGN_CHILD);
        }
        return t;
    }

    private HttpResponse<String> send(Call call, JsonNode operation, Map<Caller, World> worlds)
            throws IOException, InterruptedException {
        String method = call.operation().substring(0, call.operation().indexOf(' '));
        String template = call.operation().substring(method.length() + 1);
        World targetWorld = worlds.get(ROLES.get(call.operation()).equals("researcher") ? Caller.RESEARCHER_R
                : ROLES.get(call.operation()).equals("operator") ? Caller.RESEARCHER_R : Caller.OWNER_A);
        World foreign = worlds.get(targetWorld == worlds.get(Caller.OWNER_A) ? Caller.OWNER_B : Caller.RESEARCHER_S);
        Map<String, String> ids = new LinkedHashMap<>();
        Matcher m = Pattern.compile("\\{([^}]+)}").matcher(template);
        while (m.find()) {
            String name = m.group(1);
            String own = targetWorld.ids().getOrDefault(name, UUID.randomUUID().toString());
            String value = switch (call.target()) {
                case EXISTING -> own;
                case FOREIGN_CHILD -> OWNED_CHILDREN.contains(name) ? foreign.ids().get(name) : own;
                case UNKNOWN -> name.equals("kid") ? "k" + UUID.randomUUID().toString().substring(0, 8) : UUID.randomUUID().toString();
                case MALFORMED -> "not-an-id";
                case DOT_SEGMENT -> "..%2F";
            };
            ids.put(name, value);
        }
        String path = template;
        for (Map.Entry<String, String> id : ids.entrySet()) {
            path = path.replace("{" + id.getKey() + "}", id.getValue());
        }
        String query = query(operation);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + path
                + (query.isEmpty() ? "" : "?" + query)));
        String token = token(call.caller(), worlds);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        JsonNode content = operation.path("requestBody").path("content");
        if (content.isObject() && content.size() > 0) {
            String type = content.fieldNames().next();
            request.header("Content-Type", type);
            request.method(method, HttpRequest.BodyPublishers.ofString(body(call.operation(), type, ids, worlds)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Required query parameters, filled with valid values: a refusal must not hide behind a 400. */
    private static String query(JsonNode operation) {
        List<String> q = new ArrayList<>();
        for (JsonNode p : operation.path("parameters")) {
            if ("query".equals(p.path("in").asText()) && p.path("required").asBoolean()) {
                String name = p.path("name").asText();
                String value = switch (name) {
                    case "metric" -> "heart_rate";
                    case "from" -> Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
                    case "until" -> Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
                    case "format" -> "csv";
                    default -> throw new IllegalStateException("no sample value for the required query parameter " + name);
                };
                q.add(name + "=" + value);
            }
        }
        return String.join("&", q);
    }

    /** A valid body for the operation, so a refusal is not hidden behind a validation 400. */
    private static String body(String operation, String type, Map<String, String> ids, Map<Caller, World> worlds) {
        String owner = ids.getOrDefault("ownerId", "");
        String org = ids.getOrDefault("orgId", UUID.randomUUID().toString());
        UUID orgId = uuidOr(org);
        KeyPair rKeys = KEYS.get("R");
        Object body = switch (operation) {
            case "DELETE /owners/{ownerId}" -> Map.of("confirmOwnerId", uuidOr(owner).toString());
            case "POST /owners/{ownerId}/devices" -> Map.of("name", "matrix strap");
            case "PUT /owners/{ownerId}/attributes" -> Map.of("ageBand", "30-39");
            case "PUT /owners/{ownerId}/emergency-access" -> Map.of("enabled", true);
            case "POST /emergency/episodes" -> Map.of("emergencyCode", worlds.get(Caller.OWNER_A).ids().get("emergencyCode"),
                    "reason", "authorization matrix: may this caller open an episode?");
            case "POST /owners/{ownerId}/grants", "PUT /owners/{ownerId}/grants/{grantId}" ->
                    ConsentFixtures.grantTo(UUID.fromString(worlds.get(Caller.RESEARCHER_R).ids().get("orgId")),
                            ConsentFixtures.terms());
            case "PUT /owners/{ownerId}/memberships/{coopId}" -> Map.of();
            case "POST /owners/{ownerId}/delegations" -> delegation();
            case "POST /caregivers/me/invites" -> Map.of("code", "0000-0000-0000-0000");
            case "POST /owners/{ownerId}/notifications/read" -> Map.of("upTo", Long.MAX_VALUE);
            case "POST /coops" -> Map.of("name", "Matrix co-op", "terms", ConsentFixtures.terms());
            case "POST /researchers" -> Map.of("name", "Matrix lab", "publicKey", Map.of("kty", "OKP", "crv", "Ed25519",
                    "x", java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(Researchers.rawPublicKey(rKeys))));
            case "POST /operator/researchers/{orgId}/suspend", "POST /operator/researchers/{orgId}/reinstate" ->
                    Map.of("reason", "authorization matrix");
            case "POST /researchers/{orgId}/keys" -> Researchers.sign(rKeys, "vitalvault.key-rotation", Map.of(
                    "organisation", org, "issuedAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                    "publicKey", java.util.Base64.getUrlEncoder().withoutPadding()
                            .encodeToString(Researchers.rawPublicKey(Researchers.newKeyPair()))));
            case "POST /researchers/{orgId}/leases" ->
                    Researchers.sign(rKeys, "vitalvault.lease-request", Researchers.leaseRequest(orgId));
            case "POST /researchers/{orgId}/leases/{leaseId}/queries" -> Researchers.sign(rKeys, "vitalvault.lease-query",
                    Researchers.dailyMeans(uuidOr(ids.get("leaseId")), 7, 0.1));
            default -> Map.of();
        };
        if (body instanceof String s) {
            return s;
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static UUID uuidOr(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            return UUID.randomUUID();
        }
    }

    private static String token(Caller caller, Map<Caller, World> worlds) {
        String subject = "matrix-" + UUID.randomUUID();
        return switch (caller) {
            case NONE -> null;
            case MALFORMED -> Tokens.malformed();
            case UNSIGNED -> Tokens.unsigned(worlds.get(Caller.OWNER_A).ids().get("subject"), "owner");
            case NO_ROLE -> Tokens.signedWithRoles(worlds.get(Caller.OWNER_A).ids().get("subject"), Set.of());
            case CAREGIVER -> Tokens.signedWithRoles(subject, Set.of("caregiver"));
            case OWNER_UNREGISTERED -> Tokens.signedWithRoles(subject, Set.of("owner"));
            case EXPIRED -> Tokens.expired(worlds.get(Caller.OWNER_A).ids().get("subject"), "owner");
            case FORGED -> Tokens.forgedSignature(worlds.get(Caller.OWNER_A).ids().get("subject"), "owner");
            case WRONG_ISSUER -> Tokens.wrongIssuer(worlds.get(Caller.OWNER_A).ids().get("subject"), "owner");
            default -> worlds.get(caller).token();
        };
    }

    private static final Map<String, KeyPair> KEYS = new TreeMap<>();

    /** Owners A and B with a device, a grant and a co-op each; organisations R and S (approved) with a key each. */
    private Map<Caller, World> worlds() {
        Map<Caller, World> w = new LinkedHashMap<>();
        Researchers.Org r = Researchers.approvedOrg();
        Researchers.Org s = Researchers.approvedOrg();
        KEYS.put("R", r.keys());
        KEYS.put("S", s.keys());
        w.put(Caller.RESEARCHER_R, organisation(r));
        w.put(Caller.RESEARCHER_S, organisation(s));
        String clinician = Tokens.tokenFor("clinician-" + UUID.randomUUID(), "clinician");
        w.put(Caller.CLINICIAN, new World(clinician, Map.of()));
        w.put(Caller.OWNER_A, owner(ConsentFixtures.newOwner(), r.id(), clinician));
        w.put(Caller.OWNER_B, owner(ConsentFixtures.newOwner(), r.id(), clinician));
        w.put(Caller.OPERATOR, new World(Tokens.tokenFor("operator-" + UUID.randomUUID(), "operator"), Map.of()));
        return w;
    }

    /** An owner with a device, a grant, a co-op, and emergency access on, under which {@code clinician} opened an episode. */
    private static World owner(TestOwner o, UUID org, String clinician) {
        String device = given().auth().oauth2(o.token()).contentType(ContentType.JSON).body("{\"name\":\"strap\"}")
                .post("/owners/" + o.id() + "/devices").then().statusCode(201).extract().path("id");
        UUID grant = ConsentFixtures.grant(o, ConsentFixtures.grantTo(org, ConsentFixtures.terms()));
        UUID coop = ConsentFixtures.coop(o, ConsentFixtures.terms());
        String delegation = given().auth().oauth2(o.token()).contentType(ContentType.JSON).body(delegation())
                .post("/owners/" + o.id() + "/delegations").then().statusCode(201).extract().path("id");
        String code = given().auth().oauth2(o.token()).contentType(ContentType.JSON).body(Map.of("enabled", true))
                .put("/owners/" + o.id() + "/emergency-access").then().statusCode(200).extract().path("emergencyCode");
        String episode = given().auth().oauth2(clinician).contentType(ContentType.JSON)
                .body(Map.of("emergencyCode", code, "reason", "authorization matrix fixture"))
                .post("/emergency/episodes").then().statusCode(201).extract().path("id");
        return new World(o.token(), Map.of("subject", o.subject(), "ownerId", o.id().toString(), "deviceId", device,
                "grantId", grant.toString(), "coopId", coop.toString(), "delegationId", delegation,
                "emergencyCode", code, "episodeId", episode));
    }

    /** A caregiver invite by code for a month. */
    private static Map<String, Object> delegation() {
        return Map.of("label", "matrix carer", "metrics", List.of("heart_rate"), "finestResolution", "hour",
                "expiresAt", Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString());
    }

    private static World organisation(Researchers.Org org) {
        String kid = given().auth().oauth2(org.token()).get("/researchers/" + org.id() + "/keys").then().statusCode(200)
                .extract().path("[0].kid");
        return new World(org.token(), Map.of("orgId", org.id().toString(), "kid", kid));
    }

    /** Operations in the API document, "METHOD /template" → its OpenAPI object, in a stable order. */
    private static Map<String, JsonNode> operations(JsonNode doc) {
        Map<String, JsonNode> ops = new TreeMap<>();
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
            if (METHODS.contains(method.getKey())) {
                ops.put(method.getKey().toUpperCase() + " " + path.getKey(), method.getValue());
            }
        }));
        return ops;
    }

    /** A digest of every table's rows: equal before and after means nothing was written. */
    private Map<String, String> checksums() throws SQLException {
        Map<String, String> sums = new TreeMap<>();
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.tables "
                    + "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : new TreeSet<>(tables)) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) || ':' || coalesce(md5(string_agg(md5(x::text), '' "
                        + "ORDER BY md5(x::text))), '') FROM \"" + t + "\" x")) {
                    rs.next();
                    sums.put(t, rs.getString(1));
                }
            }
        }
        return sums;
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() > 160 ? body.substring(0, 160) + "…" : body;
    }

    private static Map<String, String> roles() {
        Map<String, String> r = new TreeMap<>();
        for (String op : List.of("POST /owners", "GET /owners/me", "GET /owners/{ownerId}", "DELETE /owners/{ownerId}",
                "POST /owners/{ownerId}/devices", "GET /owners/{ownerId}/devices",
                "DELETE /owners/{ownerId}/devices/{deviceId}", "GET /owners/{ownerId}/devices/{deviceId}/rejections",
                "GET /owners/{ownerId}/readings",
                "GET /owners/{ownerId}/readings/latest", "GET /owners/{ownerId}/export", "GET /owners/{ownerId}/ledger",
                "GET /owners/{ownerId}/data-uses", "GET /owners/{ownerId}/accesses", "GET /owners/{ownerId}/audit", "GET /owners/{ownerId}/credits", "GET /owners/{ownerId}/attributes",
                "PUT /owners/{ownerId}/attributes", "POST /owners/{ownerId}/grants", "GET /owners/{ownerId}/grants",
                "GET /owners/{ownerId}/grants/{grantId}", "PUT /owners/{ownerId}/grants/{grantId}",
                "DELETE /owners/{ownerId}/grants/{grantId}", "GET /owners/{ownerId}/consent-events",
                "GET /owners/{ownerId}/keys", "POST /owners/{ownerId}/keys/rotate", "GET /owners/{ownerId}/memberships",
                "PUT /owners/{ownerId}/memberships/{coopId}", "DELETE /owners/{ownerId}/memberships/{coopId}",
                "POST /coops", "GET /coops", "GET /coops/{coopId}", "POST /owners/{ownerId}/delegations",
                "GET /owners/{ownerId}/delegations", "GET /owners/{ownerId}/delegations/{delegationId}",
                "DELETE /owners/{ownerId}/delegations/{delegationId}", "GET /owners/{ownerId}/notifications",
                "GET /owners/{ownerId}/notifications/unread", "POST /owners/{ownerId}/notifications/read",
                "GET /owners/{ownerId}/emergency-access",
                "PUT /owners/{ownerId}/emergency-access", "GET /owners/{ownerId}/emergency-episodes",
                "GET /owners/{ownerId}/emergency-episodes/{episodeId}",
                "POST /owners/{ownerId}/emergency-episodes/{episodeId}/end")) {
            r.put(op, "owner");
        }
        // A caregiver's own delegations: the matrix's caregiver holds none, so every id is refused 404.
        for (String op : List.of("POST /caregivers/me/invites", "GET /caregivers/me/delegations",
                "GET /caregivers/me/delegations/{delegationId}/readings",
                "GET /caregivers/me/delegations/{delegationId}/latest")) {
            r.put(op, "caregiver");
        }
        for (String op : List.of("POST /emergency/episodes", "GET /emergency/episodes/{episodeId}/latest",
                "GET /emergency/episodes/{episodeId}/readings")) {
            r.put(op, "clinician");
        }
        for (String op : List.of("POST /researchers", "GET /researchers/{orgId}", "POST /researchers/{orgId}/keys",
                "GET /researchers/{orgId}/keys", "GET /researchers/{orgId}/keys/{kid}", "POST /researchers/{orgId}/leases",
                "GET /researchers/{orgId}/leases/{leaseId}", "POST /researchers/{orgId}/leases/{leaseId}/queries")) {
            r.put(op, "researcher");
        }
        for (String op : List.of("POST /operator/researchers/{orgId}/approve", "POST /operator/researchers/{orgId}/suspend",
                "POST /operator/researchers/{orgId}/reinstate", "GET /operator/researchers/{orgId}/status-changes",
                "POST /operator/kek/rewrap")) {
            r.put(op, "operator");
        }
        // Owners check the operator's actions; researchers would read other organisations' lease terms.
        r.put("GET /audit/deployment", "owner|operator");
        return r;
    }
}
