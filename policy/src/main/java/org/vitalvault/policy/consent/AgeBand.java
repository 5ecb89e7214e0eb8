package org.vitalvault.policy.consent;

import java.util.Arrays;
import java.util.stream.Collectors;

/** A coarse age band an owner may choose to share, so a cohort filter can select on it. */
public enum AgeBand {
    AGE_18_29("18-29"),
    AGE_30_39("30-39"),
    AGE_40_49("40-49"),
    AGE_50_59("50-59"),
    AGE_60_69("60-69"),
    AGE_70_79("70-79"),
    AGE_80_PLUS("80+");

    private final String label;

    AgeBand(String label) {
        this.label = label;
    }

    /** The band as people write it, e.g. {@code 30-39}. */
    public String label() {
        return label;
    }

    /**
     * @throws IllegalArgumentException naming the allowed labels when {@code label} is not one of them
     */
    public static AgeBand of(String label) {
        for (AgeBand b : values()) {
            if (b.label.equals(label) || b.name().equals(label)) {
                return b;
            }
        }
        throw new IllegalArgumentException("ageBand must be one of "
                + Arrays.stream(values()).map(AgeBand::label).collect(Collectors.joining(", ")));
    }
}
