package org.vitalvault.deploy.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vitalvault.deploy.stack.VaultClient;

/**
 * Break-glass in the app: the owner turns emergency access on and gets the code once; a clinician
 * (another browser session) opens it with the code and a reason and sees the latest values and the
 * last 24 h; the owner finds the notification at once and the episode with the reason and the
 * clinician's reads, and ends it; the clinician's next request is refused.
 */
@ExtendWith(AppBrowser.OnFailure.class)
class BreakGlassBrowserIT {

    private static final String REASON = "unconscious in ER, checking arrhythmia";

    @Test
    void aClinicianOpensEmergencyAccessWithAReasonTheOwnerIsNotifiedAndEndsIt() throws Exception {
        AppStack app = AppStack.get();
        DevicePublisher.SeededOwner seeded = DevicePublisher.owner(app, "glass-owner");
        VaultClient.Pairing device = seeded.device();
        DevicePublisher.publish(app, device.deviceId(), device.credential(), device.topic(), "heart_rate", "beat/min",
                Instant.now().minusSeconds(90), 88, 91);
        DevicePublisher.awaitLatest(app, seeded, "heart_rate");

        try (AppBrowser owner = AppBrowser.open(app.baseUrl());
             AppBrowser clinician = AppBrowser.open(app.baseUrl(), 375, 812)) {
            owner.login(seeded.subject(), "owner");
            owner.go("#/emergency");
            owner.waitFor("[data-emergency-enabled='false']");
            assertTrue(owner.text("#emergency-state").contains("1 hour"), owner.text("#emergency-state"));
            owner.click("[data-action='enable']");
            String code = owner.waitFor("[data-secret='emergencyCode']").getDomProperty("value");
            assertFalse(code.isBlank());
            owner.waitFor("[data-emergency-enabled='true']");

            clinician.login("dr-rivera", "clinician");
            clinician.type("#emergency-code-input", code);
            clinician.type("#emergency-reason", REASON);
            clinician.click("main form button[type='submit']");
            clinician.waitFor("[data-episode-expires]");
            assertEquals("91 bpm", clinician.text("[data-latest='heart_rate']"));
            assertTrue(Integer.parseInt(clinician.waitFor("#chart[data-drawn]").getDomAttribute("data-drawn")) >= 1);
            DevicePublisher.assertFitsThePhone(clinician);

            // The owner: the notification at once, then the episode with who, why and what was read.
            owner.go("#/notifications");
            assertTrue(owner.text("[data-kind='BREAK_GLASS']").contains("Emergency access"),
                    owner.text("[data-kind='BREAK_GLASS']"));
            owner.go("#/emergency");
            assertEquals(REASON, owner.text("[data-episode][data-open='true'] [data-episode-reason]"));
            assertEquals("dr-rivera", owner.text("[data-episode][data-open='true'] [data-episode-clinician]"));
            assertTrue(Integer.parseInt(owner.waitFor("[data-episode] [data-episode-accesses]")
                    .getDomAttribute("data-episode-accesses")) >= 2, "latest and the chart's read are recorded");
            owner.click("[data-end-episode]");
            owner.waitFor("[data-episode][data-status='ended']");

            // The clinician's next request is refused: the page says the access has ended.
            reopen(clinician, "#/clinician");
            assertTrue(clinician.text("[role=alert]").contains("has ended"), clinician.text("[role=alert]"));
            assertEquals(List.of(), owner.violations());
            assertEquals(List.of(), clinician.violations());
        }
    }

    /** Shows {@code route} afresh even when it is the current one (a same-hash change does not re-render). */
    private static void reopen(AppBrowser browser, String route) {
        browser.go("#/elsewhere");
        browser.go(route);
    }
}
