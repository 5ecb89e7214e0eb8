package org.vitalvault.deploy.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.FluentWait;
import org.vitalvault.deploy.stack.VaultClient;

/**
 * The audit page ({@code #/audit}) on the shared stack, in a real headless Chromium: an owner
 * grants and withdraws consent and rotates the vault key; each event is an entry of the
 * transparency log that the page shows in words and verifies in the browser ("verified" once a
 * signed checkpoint covers it); a second visit is consistent with the checkpoint the first kept.
 * Then one stored tree hash is changed in PostgreSQL (a tile of {@code audit_tile}): the page says
 * NOT verified. All under the app's CSP without a refusal.
 */
@ExtendWith(AppBrowser.OnFailure.class)
class AuditPageBrowserIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void everyEntryShowsVerifiedAndAChangedTreeHashShowsNotVerified() throws Exception {
        AppStack app = AppStack.get();
        String subject = "pages-audit-" + UUID.randomUUID();
        try (AppBrowser browser = AppBrowser.open(app.baseUrl())) {
            browser.login(subject, "owner");
            // One click from home: the nav's link.
            browser.click("#nav a[href='#/audit']");
            browser.waitFor("main[data-page='audit'][data-ready='true']");

            browser.go("/consent");
            browser.click("#grant-submit");
            assertEquals("true", ConsentBrowserIT.verdict(browser, "#consent-result"), browser.text("#consent-result"));
            String card = "#grant-list li[data-state='active']";
            browser.click(card + " [data-action='revoke']");
            browser.click(card + " [data-confirm='yes']");
            ConsentBrowserIT.waitForText(browser, "#consent-result .vv-done", "Consent withdrawn");
            browser.go("/account");
            browser.click("#rotate-key");
            browser.waitFor("#key-result [data-key-version='2']");

            // "Who used my data" links here too.
            browser.go("/uses");
            browser.click("#uses-audit a[href='#/audit']");
            browser.waitFor("main[data-page='audit'][data-ready='true']");

            // Checkpoints follow within seconds: visit until every entry is in one.
            awaitAudit(browser, "verified");
            List<String> kinds = browser.all("#audit-entries li[data-kind]").stream().map(e -> e.getDomAttribute("data-kind")).toList();
            assertTrue(kinds.containsAll(List.of("CONSENT_GRANTED", "CONSENT_WITHDRAWN", "OWNER_KEY_ROTATED")), kinds.toString());
            assertTrue(browser.all("#audit-entries li[data-verified]").stream().allMatch(e -> "verified".equals(e.getDomAttribute("data-verified"))));
            assertTrue(browser.text("#audit-entries li[data-kind='CONSENT_GRANTED'] .vv-audit-what").contains("You granted consent on"),
                    browser.text("#audit-entries li[data-kind='CONSENT_GRANTED']"));
            assertTrue(browser.text("#audit-entries li[data-kind='OWNER_KEY_ROTATED'] .vv-audit-what").contains("Your vault’s key was rotated"));
            assertTrue(browser.text("#audit-entries li[data-kind='CONSENT_GRANTED'] .vv-verify").startsWith("verified"));
            assertTrue(browser.text("#audit-checkpoint").contains("entries"), browser.text("#audit-checkpoint"));

            // The second visit proves the log only grew since the checkpoint the first one kept.
            browser.go("/audit");
            assertTrue(browser.text("#audit-consistency [data-verified='verified']").contains("with the log you saw on"),
                    browser.text("#audit-consistency"));

            // An operator changes one stored hash: the sibling leaf of one of the owner's entries.
            long leaf = tamperableLeaf(app, subject);
            try (Connection db = DriverManager.getConnection(app.stack().jdbcUrl(), "postgres", "")) {
                flipByte(db, leaf ^ 1);
                try {
                    browser.go("/audit");
                    assertEquals("failed", browser.waitFor("#audit-summary").getDomAttribute("data-state"), browser.text("#audit-summary"));
                    assertTrue(browser.text("#audit-summary").startsWith("NOT verified"), browser.text("#audit-summary"));
                    List<WebElement> failed = browser.all("#audit-entries li[data-verified='failed']");
                    assertTrue(!failed.isEmpty());
                    assertTrue(failed.get(0).getText().contains("NOT verified: "), failed.get(0).getText());
                } finally {
                    flipByte(db, leaf ^ 1);
                }
            }
            browser.go("/audit");
            assertEquals("verified", browser.waitFor("#audit-summary").getDomAttribute("data-state"), browser.text("#audit-summary"));
            assertEquals(List.of(), browser.violations(), "the page runs under its CSP without a refusal");
        }
    }

    /** Re-opens the audit page until its summary says {@code state} (checkpoints are issued every few seconds). */
    private static void awaitAudit(AppBrowser browser, String state) {
        new FluentWait<>(browser).withTimeout(WAIT).pollingEvery(Duration.ofMillis(500))
                .withMessage(() -> "the audit page did not reach '" + state + "': " + browser.text("#audit-summary"))
                .until(b -> {
                    b.go("/audit");
                    return state.equals(b.waitFor("#audit-summary").getDomAttribute("data-state"));
                });
    }

    /** The leaf index of one of the owner's entries whose sibling leaf is in the signed tree (REST, as the owner). */
    private static long tamperableLeaf(AppStack app, String subject) throws Exception {
        VaultClient vault = app.vault();
        String token = vault.devToken(subject, "owner");
        UUID owner = vault.registerOrFind(token);
        VaultClient.Reply audit = vault.send("GET", "/owners/" + owner + "/audit?afterSeq=0&limit=1000", token, null);
        assertEquals(200, audit.status(), String.valueOf(audit.body()));
        long size = audit.body().get("treeSize").asLong();
        for (JsonNode e : audit.body().get("entries")) {
            long i = e.get("leafIndex").asLong();
            if ((i ^ 1) < size) {
                return i;
            }
        }
        throw new AssertionError("no entry with a sibling in the tree: " + audit.body());
    }

    /** XORs the first byte of leaf {@code index}'s hash in its level-0 tile (DESIGN-17: tile t = i >> 8, offset i & 255). */
    private static void flipByte(Connection db, long index) throws Exception {
        try (PreparedStatement s = db.prepareStatement("UPDATE audit_tile SET hashes = set_byte(hashes, ?, get_byte(hashes, ?) # 1)"
                + " WHERE tile_level = 0 AND tile_index = ?")) {
            int offset = (int) (index & 255) * 32;
            s.setInt(1, offset);
            s.setInt(2, offset);
            s.setLong(3, index >> 8);
            assertEquals(1, s.executeUpdate(), "the tile of leaf " + index);
        }
    }
}
