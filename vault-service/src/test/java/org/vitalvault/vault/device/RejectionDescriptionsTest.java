package org.vitalvault.vault.device;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vitalvault.wire.RejectionReason;

class RejectionDescriptionsTest {

    @Test
    void everyRejectionReasonHasAPlainLabelAndSentenceWithoutItsWireCode() {
        for (RejectionReason r : RejectionReason.values()) {
            RejectionDescriptions.Text t = RejectionDescriptions.of(r);
            assertFalse(t.label().isBlank(), r.name());
            assertTrue(t.description().endsWith("."), r.name());
            assertFalse(t.description().contains(r.code()) && r.code().contains("-"), r.name() + " reads as jargon");
        }
    }
}
