package org.vitalvault.deploy.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vitalvault.deploy.stack.VaultClient;

/**
 * The notifications page on the shared stack: a consent change is in the feed, the nav's badge
 * counts it, "Mark all as read" clears both. Needs the feed's REST (branch notify): in a build
 * without it the test is skipped, saying so.
 */
@ExtendWith(AppBrowser.OnFailure.class)
class NotificationsBrowserIT {

    @Test
    void aConsentChangeIsInTheFeedAndMarkingItReadClearsTheBadge() throws Exception {
        AppStack app = AppStack.get();
        VaultClient vault = app.vault();
        String subject = "pages-notices-" + UUID.randomUUID();
        String token = vault.devToken(subject, "owner");
        UUID owner = vault.registerOrFind(token);
        Assumptions.assumeTrue(vault.send("GET", "/owners/" + owner + "/notifications/unread", token, null).status() == 200,
                "this build has no notification feed (GET /owners/{id}/notifications, branch notify)");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        VaultClient.Reply granted = vault.send("POST", "/owners/" + owner + "/grants", token, Map.of(
                "audience", Map.of("purpose", "PUBHLTH"),
                "terms", Map.of("purposes", List.of("PUBHLTH"), "metrics", List.of("steps"), "kinds", List.of("COUNT"),
                        "granularity", "WEEK",
                        "dataWindow", Map.of("from", now.minus(Duration.ofDays(30)).toString(), "until", now.toString()),
                        "validity", Map.of("until", now.plus(Duration.ofDays(30)).toString()),
                        "epsilonPerLease", 1.0, "epsilonPerYear", 2.0)));
        assertEquals(201, granted.status(), () -> String.valueOf(granted.body()));

        try (AppBrowser browser = AppBrowser.open(app.baseUrl(), 375, 812)) {
            browser.login(subject, "owner").go("/notifications");
            browser.waitFor("#notification-list li[data-kind='CONSENT_CHANGE'][data-read='false']");
            assertTrue(browser.text("#nav-unread").matches("(?s)[1-9][0-9]*.*"), browser.text("#nav").replace('\n', ' '));
            browser.click("#notifications-mark-read");
            browser.waitFor("#notification-list li[data-kind='CONSENT_CHANGE'][data-read='true']");
            assertEquals(Boolean.TRUE, browser.js("return document.getElementById('nav-unread').hidden;"));
            assertEquals("No unread notifications.", browser.text("#notifications-status"));
            assertEquals(List.of(), browser.violations());
        }
    }
}
