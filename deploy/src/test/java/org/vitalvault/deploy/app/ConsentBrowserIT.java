package org.vitalvault.deploy.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.vitalvault.deploy.stack.VaultClient;

/**
 * The consent page and "who used my data", in a real headless Chromium on the shared stack: an
 * owner grants and withdraws consent and reads what each term allows; every receipt is checked in
 * the page against the vault's published key (a tampered one is not); a research organisation's
 * query shows up as a data use and in the privacy budget.
 */
@ExtendWith(AppBrowser.OnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsentBrowserIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    @Order(1)
    void anOwnerGrantsAndWithdrawsConsentReadingEachTermAndEveryReceiptVerifies() throws Exception {
        AppStack app = AppStack.get();
        String subject = "pages-consent-" + UUID.randomUUID();
        try (AppBrowser browser = AppBrowser.open(app.baseUrl(), 375, 812)) {
            browser.login(subject, "owner").go("/consent");
            assertTrue(browser.text("#grant-list").contains("not granted consent"), browser.text("#grant-list"));

            // The form's preview says what the consent will allow before it is given.
            browser.click("#grant-metrics-spo2");
            waitForText(browser, "#grant-preview [data-term='metrics']", "heart rate and blood oxygen (SpO2)");
            browser.click("#grant-submit");
            assertEquals("true", verdict(browser, "#consent-result"), browser.text("#consent-result"));
            assertTrue(browser.text("#consent-result .vv-done").contains("Consent granted"));

            String card = "#grant-list li[data-state='active']";
            assertEquals("Any approved research organisation may use this data, but only for health research.",
                    browser.text(card + " [data-term='audience']"));
            assertEquals("It covers your heart rate and blood oxygen (SpO2) readings; no other measurements.",
                    browser.text(card + " [data-term='metrics']"));
            assertEquals("Your data only counts in groups of at least 11 people.", browser.text(card + " [data-term='minimumCohort']"));
            assertTrue(browser.text(card + " [data-term='kinds']").contains("never your individual readings"));

            browser.click(card + " [data-action='revoke']");
            browser.click(card + " [data-confirm='yes']");
            waitForText(browser, "#consent-result .vv-done", "Consent withdrawn");
            assertEquals("true", verdict(browser, "#consent-result"), browser.text("#consent-result"));
            assertTrue(browser.text("#grant-list li[data-state='revoked'] [data-term='validity']").startsWith("You withdrew this consent"));

            // The trail: both changes, each receipt verified in the page.
            new WebDriverWait(browser.driver(), WAIT).ignoring(StaleElementReferenceException.class).until(d ->
                    browser.all("#consent-trail li[data-event]").size() == 2
                            && browser.all("#consent-trail [data-verified='pending']").isEmpty());
            assertEquals(List.of("true", "true"), browser.all("#consent-trail .vv-verify").stream()
                    .map(e -> e.getDomAttribute("data-verified")).toList());
            assertEquals(List.of("grant.created", "grant.revoked"), browser.all("#consent-trail li[data-event]").stream()
                    .map(e -> e.getDomAttribute("data-action")).toList());

            assertFitsThePhone(browser);

            // A saved receipt checked in the page: the genuine one verifies, a tampered one does not.
            String jws = lastReceipt(app.vault(), subject);
            assertEquals("true", check(browser, jws), browser.text("#check-receipt-result"));
            String tampered = tamper(jws, "\"grant.revoked\"", "\"grant.created\"");
            assertEquals("false", check(browser, tampered));
            assertTrue(browser.text("#check-receipt-result").startsWith("NOT verified"), browser.text("#check-receipt-result"));
            assertEquals(List.of(), browser.violations(), "the page runs under its CSP without a refusal");
        }
    }

    @Test
    @Order(2)
    void aResearchQueryShowsAsADataUseAndInThePrivacyBudget() throws Exception {
        AppStack app = AppStack.get();
        String subject = "pages-uses-" + UUID.randomUUID();
        ResearchUse research = ResearchUse.approvedOrganisation(app.baseUrl(), "Heart Study " + subject.substring(11, 19));
        try (AppBrowser browser = AppBrowser.open(app.baseUrl())) {
            browser.login(subject, "owner").go("/consent");
            // The owner consents in the page to this one organisation, hourly results.
            browser.click("#grant-aud-researcher");
            browser.type("#grant-aud-org", research.org.toString());
            new Select(browser.waitFor("#grant-granularity")).selectByValue("HOUR");
            browser.click("#grant-submit");
            assertEquals("true", verdict(browser, "#consent-result"), browser.text("#consent-result"));
            assertTrue(browser.text("#grant-list li[data-state='active'] [data-term='audience']")
                    .startsWith("Only one research organisation may use this data"));

            research.consentingOwners(ResearchUse.COHORT - 1);
            research.leaseAndQuery(0.5);

            browser.go("/uses");
            String row = browser.text("#data-uses tr[data-use]");
            assertTrue(row.contains(research.name) && row.contains("health research") && row.contains("heart rate")
                    && row.contains("0.5"), row);
            assertTrue(browser.text("#ledger-totals").contains("leases spent ε 0.5 of your yearly limit of ε 5"),
                    browser.text("#ledger-totals"));
            WebElement chart = browser.waitFor("#ledger-chart[data-drawn] svg[role='img']");
            assertTrue(chart.getDomAttribute("aria-label").contains("ε 0.5 spent"), chart.getDomAttribute("aria-label"));
            assertTrue(browser.text("#credits").contains("Total credited"));
            assertEquals(List.of(), browser.violations());
        }
    }

    /** On a 375 px wide window, nothing reaches beyond the right edge (no sideways scrolling). */
    static void assertFitsThePhone(AppBrowser browser) {
        assertEquals(375L, browser.js("return document.documentElement.clientWidth"));
        Object wider = browser.js("return Array.from(document.querySelectorAll('body *'))"
                + ".filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)"
                + ".slice(0, 8).map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className);");
        assertTrue((Long) browser.js("return document.documentElement.scrollWidth") <= 375, "wider than 375 px: " + wider);
    }

    /** Waits until the receipt in {@code region} is checked; returns "true" or "false". */
    static String verdict(AppBrowser browser, String region) {
        String css = region + " .vv-verify:not([data-verified='pending'])";
        return browser.waitFor(css).getDomAttribute("data-verified");
    }

    static void waitForText(AppBrowser browser, String css, String text) {
        // The page re-renders the element while it settles: one found a moment ago can be gone
        // (stale) when its text is read; the next poll finds the new one (CI run on f8e4551).
        new WebDriverWait(browser.driver(), WAIT).ignoring(StaleElementReferenceException.class).until(d -> {
            List<WebElement> es = d.findElements(By.cssSelector(css));
            return !es.isEmpty() && es.get(0).getText().contains(text);
        });
    }

    /** Pastes a receipt into "Check a receipt" and returns the verdict. */
    private static String check(AppBrowser browser, String jws) {
        browser.js("document.getElementById('check-receipt-result').replaceChildren();"
                + "document.getElementById('check-receipt-jws').value = arguments[0];", jws);
        browser.click("#check-receipt-check");
        return browser.waitFor("#check-receipt-result [data-verified]").getDomAttribute("data-verified");
    }

    /** The owner's newest consent receipt, through the REST API as the same subject. */
    private static String lastReceipt(VaultClient vault, String subject) throws Exception {
        String token = vault.devToken(subject, "owner");
        UUID owner = vault.registerOrFind(token);
        VaultClient.Reply events = vault.send("GET", "/owners/" + owner + "/consent-events", token, null);
        assertEquals(200, events.status());
        JsonNode last = events.body().get(events.body().size() - 1);
        return last.get("jws").asText();
    }

    /** The same JWS with one change in its payload, re-encoded; the signature is left as it was. */
    static String tamper(String jws, String from, String to) {
        String[] parts = jws.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertTrue(payload.contains(from), payload);
        String changed = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.replace(from, to).getBytes(StandardCharsets.UTF_8));
        return parts[0] + "." + changed + "." + parts[2];
    }
}
