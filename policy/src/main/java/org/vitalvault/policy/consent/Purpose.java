package org.vitalvault.policy.consent;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Why data is used, as HL7 v3 PurposeOfUse codes (code system 2.16.840.1.113883.5.8), the
 * vocabulary consents and leases speak. Only purposes a health data bank can license are listed;
 * treatment and payment purposes are deliberately absent — the vault is not a care provider.
 */
public enum Purpose {
    /** Research on health. */
    HRESCH("healthcare research"),
    /** Clinical trial research. */
    CLINTRCH("clinical trial research"),
    /** Public health. */
    PUBHLTH("public health"),
    /** Population health (epidemiology, cohort studies). */
    POPHLTH("population health"),
    /** Personal use by the patient (the owner themselves). */
    PATRQT("patient requested");

    private final String display;

    Purpose(String display) {
        this.display = display;
    }

    public String display() {
        return display;
    }

    /**
     * @throws IllegalArgumentException naming the allowed codes when {@code code} is not one of them
     */
    public static Purpose ofCode(String code) {
        for (Purpose p : values()) {
            if (p.name().equals(code)) {
                return p;
            }
        }
        throw new IllegalArgumentException("purpose must be one of " + allowed());
    }

    static String allowed() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
