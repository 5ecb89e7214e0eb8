package org.vitalvault.deploy.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vitalvault.deploy.stack.VaultClient;

/**
 * A caregiver in the app: the owner invites them in the page (heart rate only, per minute at most),
 * the caregiver accepts the code in another browser session and reads inside that scope; a metric or
 * a detail outside it is refused in the page; after the owner revokes in the page, the next request
 * is refused too. The caregiver's reads are data uses the owner can see.
 */
@ExtendWith(AppBrowser.OnFailure.class)
class CaregiverBrowserIT {

    @Test
    void aCaregiverReadsInsideTheirScopeAndIsRefusedOutsideItAndAfterRevocation() throws Exception {
        AppStack app = AppStack.get();
        DevicePublisher.SeededOwner seeded = DevicePublisher.owner(app, "care-owner");
        VaultClient.Pairing device = seeded.device();
        Instant start = Instant.now().minusSeconds(120);
        DevicePublisher.publish(app, device.deviceId(), device.credential(), device.topic(), "heart_rate", "beat/min",
                start, 62, 62, 62);
        DevicePublisher.publish(app, device.deviceId(), device.credential(), device.topic(), "spo2", "%", start, 97);
        DevicePublisher.awaitLatest(app, seeded, "spo2");

        try (AppBrowser owner = AppBrowser.open(app.baseUrl());
             AppBrowser caregiver = AppBrowser.open(app.baseUrl(), 375, 812)) {
            owner.login(seeded.subject(), "owner");
            owner.go("#/care");
            owner.type("#care-label", "Sam (nurse)");
            owner.type("#care-shared-as", "Grandma");
            owner.click("#care-metric-heart_rate");
            owner.js("const s = document.getElementById('care-resolution'); s.value = 'minute';"
                    + " s.dispatchEvent(new Event('change'));");
            owner.click("main form button[type='submit']");
            String code = owner.waitFor("[data-secret='inviteCode']").getDomProperty("value");
            assertFalse(code.isBlank());
            owner.waitFor("li[data-delegation][data-status='invited']");

            caregiver.login("sam-caregiver", "caregiver");
            caregiver.type("#invite-code", code);
            caregiver.click("main form button[type='submit']");
            caregiver.click("a[data-delegation]");
            caregiver.waitFor("main[data-page='caregiver'][data-ready='true']");
            String delegation = caregiver.url().replaceAll(".*#/care/", "");
            // Per minute at most: the latest value is its minute's mean, so all three readings are equal.
            assertEquals("62 bpm", caregiver.text("[data-latest='heart_rate']"));
            assertTrue(caregiver.all("[data-latest='spo2']").isEmpty(), "spo2 is not shared");

            // Inside the scope: the chart, per minute (the finest allowed).
            caregiver.go("#/care/" + delegation + "/heart_rate");
            assertTrue(Integer.parseInt(caregiver.waitFor("#chart[data-drawn]").getDomAttribute("data-drawn")) >= 1);
            assertTrue(caregiver.text("[data-range]").contains("per minute"), caregiver.text("[data-range]"));
            DevicePublisher.assertFitsThePhone(caregiver);

            // Outside: another metric, then more detail than allowed, each refused by the vault and said so.
            caregiver.go("#/care/" + delegation + "/spo2");
            caregiver.waitFor("main[data-refused='true']");
            assertTrue(caregiver.text("[role=alert]").contains("outside what was shared"), caregiver.text("[role=alert]"));
            caregiver.go("#/care/" + delegation + "/heart_rate?resolution=raw");
            caregiver.waitFor("main[data-refused='true']");
            assertTrue(caregiver.all("#chart[data-drawn]").isEmpty());

            // The owner sees the sharing active, and the caregiver's reads among the accesses to their data.
            reopen(owner, "#/care");
            owner.waitFor("li[data-delegation='" + delegation + "'][data-status='active']");
            JsonNode accesses = app.vault().send("GET", "/owners/" + seeded.ownerId() + "/accesses", seeded.token(), null).body();
            assertTrue(accesses.toString().contains("\"kind\":\"caregiver\""), accesses.toString());

            // Revoked in the page: the caregiver's very next request is refused.
            owner.click("[data-revoke='" + delegation + "']");
            owner.click("[data-confirm='yes']");
            owner.waitFor("li[data-delegation='" + delegation + "'][data-status='revoked']");
            caregiver.go("#/care/" + delegation + "/heart_rate");
            caregiver.waitFor("main[data-refused='true']");
            caregiver.go("#/care");
            caregiver.waitFor("[data-empty='shared']");
            assertEquals(List.of(), owner.violations());
            assertEquals(List.of(), caregiver.violations());
        }
    }

    /** Shows {@code route} afresh even when it is the current one (a same-hash change does not re-render). */
    private static void reopen(AppBrowser browser, String route) {
        browser.go("#/elsewhere");
        browser.go(route);
    }
}
