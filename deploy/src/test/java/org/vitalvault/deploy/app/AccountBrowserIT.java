package org.vitalvault.deploy.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.support.ui.FluentWait;

/**
 * The account page in a real headless Chromium on the shared stack: the export saved as files
 * (CSV with the simulated owner's readings; FHIR), the owner key rotated, and the vault erased
 * with a typed confirmation — its signed receipt verified in the page and downloaded — after which
 * signing in again shows a fresh, empty account.
 */
@ExtendWith(AppBrowser.OnFailure.class)
class AccountBrowserIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void theExportIsSavedAsCsvWithTheOwnersReadings() throws Exception {
        AppStack app = AppStack.get();
        Path downloads = downloads("export");
        try (AppBrowser browser = AppBrowser.open(app.baseUrl())) {
            saveDownloadsIn(browser, downloads);
            browser.login(app.simulatedOwner().subject(), "owner").go("/account");
            String owner = browser.text("#account-owner-id");
            browser.click("#export-csv");
            browser.waitFor("#export-result [data-export='csv']");
            Path csv = awaitFile(downloads.resolve("vitalvault-" + owner + ".csv"));
            List<String> lines = Files.readAllLines(csv);
            assertEquals("metric,device_id,device_time,received_time,value,unit", lines.get(0));
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("heart_rate,")), "the simulator's heart rate is in the export");
        }
    }

    @Test
    void anOwnerRotatesTheKeyExportsFhirAndErasesTheVaultWithAVerifiedReceipt() throws Exception {
        AppStack app = AppStack.get();
        String subject = "pages-account-" + UUID.randomUUID();
        Path downloads = downloads("erase");
        try (AppBrowser browser = AppBrowser.open(app.baseUrl(), 375, 812)) {
            saveDownloadsIn(browser, downloads);
            browser.login(subject, "owner").go("/account");
            String first = browser.text("#account-owner-id");
            ConsentBrowserIT.assertFitsThePhone(browser);

            browser.click("#rotate-key");
            browser.waitFor("#key-result [data-key-version='2']");
            assertEquals(2, browser.all("#key-versions li").size());

            browser.click("#export-fhir");
            browser.waitFor("#export-result [data-export='fhir']");
            String bundle = Files.readString(awaitFile(downloads.resolve("vitalvault-" + first + ".fhir.json")));
            assertTrue(bundle.contains("\"resourceType\":\"Bundle\""), bundle);

            // The button stays disabled until the words are typed.
            assertTrue(!browser.waitFor("#erase-confirm").isEnabled());
            browser.type("#erase-phrase", "erase my vault");
            browser.click("#erase-confirm");
            assertEquals("true", ConsentBrowserIT.verdict(browser, "#erase-result"), browser.text("#erase-result"));
            String receiptId = browser.waitFor("#erase-result .vv-receipt[data-receipt]").getDomAttribute("data-receipt");
            browser.click("#erase-result .vv-download-receipt");
            String jws = Files.readString(awaitFile(downloads.resolve("erasure-receipt-" + receiptId + ".jws")));
            assertEquals(3, jws.split("\\.").length, jws);

            // The saved receipt checks out in the page; the same receipt naming someone else does not.
            browser.js("document.getElementById('check-receipt-jws').value = arguments[0];", jws);
            browser.click("#check-receipt-check");
            assertEquals("true", browser.waitFor("#check-receipt-result [data-verified]").getDomAttribute("data-verified"));
            String tampered = ConsentBrowserIT.tamper(jws, "\"" + subject + "\"", "\"someone-else\"");
            browser.js("document.getElementById('check-receipt-result').replaceChildren();"
                    + "document.getElementById('check-receipt-jws').value = arguments[0];", tampered);
            browser.click("#check-receipt-check");
            assertEquals("false", browser.waitFor("#check-receipt-result [data-verified]").getDomAttribute("data-verified"));

            // Signing in again: a new, empty vault.
            browser.click("#erase-sign-out");
            browser.waitFor("main[data-page='login'][data-ready='true']");
            browser.login(subject, "owner").go("/account");
            String second = browser.text("#account-owner-id");
            assertNotEquals(first, second);
            assertEquals(1, browser.all("#key-versions li").size());
            assertEquals(List.of(), browser.violations());
        }
    }

    private static Path downloads(String name) throws Exception {
        return Files.createDirectories(Path.of("target", "browser-downloads", name + "-" + UUID.randomUUID()).toAbsolutePath());
    }

    /** Chromium saves downloads into {@code dir} under the name the page gives (the a[download] name). */
    private static void saveDownloadsIn(AppBrowser browser, Path dir) {
        browser.driver().executeCdpCommand("Browser.setDownloadBehavior",
                Map.of("behavior", "allow", "downloadPath", dir.toString(), "eventsEnabled", false));
    }

    /** Waits until Chromium has finished writing {@code file}. */
    private static Path awaitFile(Path file) {
        Path partial = file.resolveSibling(file.getFileName() + ".crdownload");
        new FluentWait<>(file).withTimeout(WAIT).pollingEvery(Duration.ofMillis(100))
                .withMessage(() -> file + " was not saved")
                .until(f -> Files.exists(f) && !Files.exists(partial));
        return file;
    }
}
