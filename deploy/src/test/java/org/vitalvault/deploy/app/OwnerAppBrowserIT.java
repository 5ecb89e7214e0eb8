package org.vitalvault.deploy.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.Keys;

/**
 * The owner's app on the real stack in a real Chromium: the simulated owner signs in, sees the
 * simulator's heart rate on home, opens its chart, zooms with the keyboard, and the page never
 * trips its Content-Security-Policy.
 */
@ExtendWith(AppBrowser.OnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OwnerAppBrowserIT {

    private static AppStack app;
    private static AppBrowser browser;

    @BeforeAll
    static void signIn() throws Exception {
        app = AppStack.get();
        browser = AppBrowser.open(app.baseUrl());
        browser.login(app.simulatedOwner().subject(), "owner");
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    @Order(1)
    void homeShowsTheSimulatorsHeartRateAsALinkToItsChart() {
        browser.go("/home");
        String value = browser.text("[data-latest='heart_rate']");
        assertTrue(value.matches("\\d+(\\.\\d+)? bpm"), value);
        assertEquals("Heart rate", browser.text("a[data-metric='heart_rate'] .metric-name"));
        assertEquals("#/chart/heart_rate", browser.waitFor("a[data-metric='heart_rate']").getDomAttribute("href"));
        assertTrue((Boolean) browser.js("return performance.getEntriesByName('vv-home-ready').length > 0"));
    }

    @Test
    @Order(2)
    void theHeartRateChartDrawsTheLast24HoursRaw() {
        browser.click("a[data-metric='heart_rate']");
        browser.waitFor("main[data-page='chart'][data-ready='true']");
        int drawn = Integer.parseInt(browser.waitFor("#chart[data-drawn]").getDomAttribute("data-drawn"));
        assertTrue(drawn > 0, "points drawn: " + drawn);
        assertTrue(browser.text("#chart-status").contains("(raw)"), browser.text("#chart-status"));
        assertTrue(browser.url().contains("from=") && browser.url().contains("until="), browser.url());
        // Focus moved to the new page's heading; screen readers get the data as a table.
        assertEquals("H1", browser.js("return document.activeElement.tagName"));
        assertTrue(browser.all("#chart table[data-chart-table] tbody tr").size() > 0);
    }

    @Test
    @Order(3)
    void zoomingOutByKeyboardRefetchesAtACoarserResolutionAndKeepsTheRangeInTheAddress() {
        String before = browser.url();
        browser.js("document.getElementById('main').removeAttribute('data-ready')");
        browser.waitFor("#zoom-out").sendKeys(Keys.ENTER);
        for (int i = 0; i < 2; i++) {
            // 24 h → 48 h → 96 h: minute resolution.
            browser.waitFor("main[data-ready='true']");
            browser.js("document.getElementById('main').removeAttribute('data-ready')");
            browser.waitFor("#zoom-out").sendKeys(Keys.ENTER);
        }
        browser.waitFor("main[data-ready='true']");
        String status = browser.text("#chart-status");
        assertTrue(status.contains("(minute)") || status.contains("(hour)"), status);
        assertTrue(!browser.url().equals(before), "the hash carries the new range");
    }

    @Test
    @Order(4)
    void aRangeTooLongForRawReadsFallsBackToACoarserResolution() {
        Instant until = Instant.now();
        browser.go("/chart/heart_rate?from=" + until.minus(Duration.ofDays(40)) + "&until=" + until + "&resolution=raw");
        browser.waitFor("#chart[data-drawn]");
        String status = browser.text("#chart-status");
        assertTrue(status.contains("(hour; raw would be too many readings"), status);
    }

    @Test
    @Order(5)
    void aPresetIsAButtonThatSaysWhetherItIsChosen() {
        browser.js("document.getElementById('main').removeAttribute('data-ready')");
        browser.click("button[data-preset='7d']");
        browser.waitFor("main[data-ready='true']");
        assertEquals("true", browser.waitFor("button[data-preset='7d']").getDomAttribute("aria-pressed"));
        assertEquals("false", browser.waitFor("button[data-preset='24h']").getDomAttribute("aria-pressed"));
        assertTrue(browser.text("#chart-status").contains("(hour)"), browser.text("#chart-status"));
    }

    @Test
    @Order(6)
    void nothingTheAppDidTrippedItsContentSecurityPolicy() {
        assertEquals(List.of(), browser.violations(), "securitypolicyviolation events");
        List<String> cspErrors = browser.consoleErrors().stream()
                .filter(e -> e.contains("Content Security Policy") || e.contains("Refused to")).toList();
        assertEquals(List.of(), cspErrors, "CSP refusals on the console");
    }

    @Test
    @Order(7)
    void aTokenTheVaultRefusesSendsTheAppBackToSignIn() {
        // The signature no longer matches: the vault answers 401, the app forgets the token.
        browser.js("const t = sessionStorage.getItem('vv.token');"
                + "sessionStorage.setItem('vv.token', t.slice(0, t.lastIndexOf('.') + 1) + 'AAAA' + t.slice(t.lastIndexOf('.') + 5));");
        browser.js("location.hash = '#/home'");
        browser.waitFor("main[data-page='login'][data-ready='true']");
        assertTrue(browser.url().contains("#/login?expired=1"), browser.url());
        assertEquals(null, browser.js("return sessionStorage.getItem('vv.token')"));
        // Signing in again returns to where the owner was.
        browser.login(app.simulatedOwner().subject(), "owner");
    }
}
