package org.vitalvault.vault.audit.tree;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vitalvault.tlog.Checkpoint;
import org.vitalvault.tlog.NoteKey;
import org.vitalvault.tlog.SignedNote;
import org.vitalvault.vault.audit.AuditKind;
import org.vitalvault.vault.audit.AuditLog;
import org.vitalvault.vault.support.ConsentFixtures;

/**
 * With the production cadence switched on (short intervals), nobody calls the sequencer or the
 * signer: the background jobs alone integrate an owner's entries and sign a checkpoint that proves
 * them. Waits for an outcome, up to a generous bound, never for a fixed time.
 */
@QuarkusTest
@TestProfile(AuditBackgroundJobsTest.RunningJobs.class)
class AuditBackgroundJobsTest {

    /** The jobs at a brisk cadence, as in production. */
    public static class RunningJobs implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("vitalvault.audit.integrate-interval", "PT0.1S", "vitalvault.audit.checkpoint-interval", "PT0.2S");
        }
    }

    @Inject
    AuditLog log;

    @Test
    void theBackgroundJobsIntegrateAndCheckpointAnOwnersEntriesUnasked() throws Exception {
        var owner = ConsentFixtures.newOwner();
        QuarkusTransaction.requiringNew().run(() -> log.owner(owner.id(), AuditKind.DATA_USE, Map.of("queryId", "q")));
        NoteKey key = NoteKey.parse(given().get("/audit/key").then().statusCode(200).extract().path("verifierKey"));
        long deadline = System.nanoTime() + 120_000_000_000L;
        boolean proven = false;
        while (!proven && System.nanoTime() < deadline) {
            var page = given().auth().oauth2(owner.token()).get("/owners/" + owner.id() + "/audit").then().statusCode(200)
                    .extract().jsonPath();
            proven = page.get("entries[0].inclusionProof") != null;
            if (proven) {
                Checkpoint cp = Checkpoint.parse(SignedNote.open(page.getString("checkpoint"), key));
                assertTrue(cp.size() > page.getLong("entries[0].leafIndex"));
            } else {
                Thread.sleep(100);
            }
        }
        assertTrue(proven, "the entry was integrated and checkpointed by the background jobs");
    }
}
