package org.vitalvault.deploy.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The app's front door: an owner signs in through the development login and lands on home. */
@ExtendWith(AppBrowser.OnFailure.class)
class AppSmokeBrowserIT {

    @Test
    void anOwnerSignsInThroughTheDevelopmentLoginAndLandsOnHome() throws Exception {
        AppStack app = AppStack.get();
        try (AppBrowser browser = AppBrowser.open(app.baseUrl())) {
            browser.login("smoke-owner", "owner");
            assertEquals("home", browser.waitFor("main#main").getDomAttribute("data-page"));
            assertTrue(browser.url().endsWith("#/home"), browser.url());
            // A first-time owner was registered by the app and has no readings yet.
            browser.waitFor("#no-data");
        }
    }
}
