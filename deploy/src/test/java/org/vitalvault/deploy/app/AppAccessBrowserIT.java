package org.vitalvault.deploy.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;

/** Who lands where, a phone-sized screen, and the keyboard: the app's shell for everyone. */
@ExtendWith(AppBrowser.OnFailure.class)
class AppAccessBrowserIT {

    @Test
    void caregiversAndCliniciansLandOnTheirOwnPages() throws Exception {
        AppStack app = AppStack.get();
        try (AppBrowser browser = AppBrowser.open(app.baseUrl())) {
            browser.login("landing-caregiver", "caregiver");
            assertTrue(browser.url().endsWith("#/care"), browser.url());
            // An owner's page is not a caregiver's: the router sends them back to their own.
            browser.js("location.hash = '#/home'");
            browser.waitFor("main[data-page='care'][data-ready='true']");
            browser.click("#logout");
            browser.waitFor("main[data-page='login'][data-ready='true']");
            browser.login("landing-clinician", "clinician");
            assertTrue(browser.url().endsWith("#/clinician"), browser.url());
        }
    }

    @Test
    void onAPhoneSizedScreenNothingScrollsSideways() throws Exception {
        AppStack app = AppStack.get();
        try (AppBrowser browser = AppBrowser.open(app.baseUrl(), 375, 812)) {
            browser.login(app.simulatedOwner().subject(), "owner");
            assertEquals(375L, browser.js("return document.documentElement.clientWidth"));
            assertTrue((Long) browser.js("return document.documentElement.scrollWidth") <= 375, "home fits 375 px");
            browser.go("/chart/heart_rate");
            browser.waitFor("#chart[data-drawn]");
            assertTrue((Long) browser.js("return document.documentElement.scrollWidth") <= 375, "the chart fits 375 px");
        }
    }

    @Test
    void theSkipLinkIsTheFirstStopAndLeadsToTheContent() throws Exception {
        AppStack app = AppStack.get();
        try (AppBrowser browser = AppBrowser.open(app.baseUrl())) {
            browser.login("skip-owner", "owner");
            browser.js("document.activeElement.blur();");
            new Actions(browser.driver()).sendKeys(Keys.TAB).perform();
            assertEquals("skip-link", browser.js("return document.activeElement.id"));
            new Actions(browser.driver()).sendKeys(Keys.ENTER).perform();
            assertEquals("H1", browser.js("return document.activeElement.tagName"));
            assertTrue(browser.url().endsWith("#/home"), "the skip link does not change the route: " + browser.url());
        }
    }
}
