package org.vitalvault.deploy.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Devices in the app, on a phone-sized screen: an owner pairs a device in the page, takes the
 * credential and topic the page shows once (with its QR code), the device publishes with them
 * through the real broker and gateway, and the page shows its first reading, the refused record
 * with its reason, and unpairs it.
 */
@ExtendWith(AppBrowser.OnFailure.class)
class DevicePairingBrowserIT {

    @Test
    void anOwnerPairsADeviceInThePageSeesItsFirstReadingAndItsRefusedRecordThenUnpairsIt() throws Exception {
        AppStack app = AppStack.get();
        try (AppBrowser owner = AppBrowser.open(app.baseUrl(), 375, 812)) {
            owner.login("pairing-owner", "owner");
            owner.go("#/devices");
            owner.waitFor("[data-empty='devices']");
            owner.type("#pair-name", "chest strap");
            owner.click("main form button[type='submit']");

            String deviceId = owner.waitFor("[data-secret='clientId']").getDomProperty("value");
            String credential = owner.waitFor("[data-secret='credential']").getDomProperty("value");
            String topic = owner.waitFor("[data-secret='topic']").getDomProperty("value");
            assertTrue(owner.text("[data-pairing='notice']").contains("Shown only once"));
            String qr = owner.waitFor("img[data-pairing='qr']").getDomAttribute("src");
            assertTrue(qr.startsWith("data:image/svg+xml;base64,"), qr.substring(0, Math.min(40, qr.length())));
            // The QR image decoded and drew under the CSP (img-src data:).
            assertEquals(Boolean.TRUE, owner.js("const i = document.querySelector(\"img[data-pairing='qr']\");"
                    + " return i.complete && i.naturalWidth > 0;"));

            // The device publishes with what the page showed: one good heart rate and one implausible value.
            DevicePublisher.publish(app, UUID.fromString(deviceId), credential, topic, "heart_rate", "beat/min",
                    Instant.now().minusSeconds(30), 72, 900);
            String first = owner.text("[data-first-reading='received']");
            assertTrue(first.contains("Heart rate") && first.contains("72"), first);
            DevicePublisher.assertFitsThePhone(owner);

            // The list: what the device measures, and (once the gateway flushed its activity) why a record was refused.
            String total = refusedTotal(owner, deviceId);
            assertEquals("1", total);
            assertTrue(owner.text("[data-rejection-reason='OUT_OF_RANGE']").contains("1"));
            assertTrue(owner.text("[data-device-metric='heart_rate']").contains("72"));

            owner.click("[data-unpair='" + deviceId + "']");
            owner.click("[data-confirm='yes']");
            owner.waitFor("[data-empty='devices']");
            assertEquals(List.of(), owner.violations());
        }
    }

    /** Opens the device's refused records until the gateway's activity flush (every few seconds) shows one. */
    private static String refusedTotal(AppBrowser owner, String deviceId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        String total = "0";
        while (System.nanoTime() < deadline) {
            reopen(owner, "#/devices");
            owner.click("[aria-controls='rej-" + deviceId + "']");
            total = owner.waitFor("[data-rejections='" + deviceId + "'] [data-rejection-total]")
                    .getDomAttribute("data-rejection-total");
            if (!"0".equals(total)) {
                return total;
            }
            Thread.sleep(1000);
        }
        return total;
    }

    /** Shows {@code route} afresh even when it is the current one (a same-hash change does not re-render). */
    private static void reopen(AppBrowser browser, String route) {
        browser.go("#/elsewhere");
        browser.go(route);
    }
}
