package org.vitalvault.policy.consent;

import org.vitalvault.policy.internal.Checks;

/** Administrative sex (as FHIR's {@code AdministrativeGender}, without "unknown": not sharing it is how that is said). */
public enum Sex {
    FEMALE,
    MALE,
    OTHER;

    /**
     * @throws IllegalArgumentException naming the allowed values when {@code name} is not one of them
     */
    public static Sex of(String name) {
        for (Sex s : values()) {
            if (s.name().equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("sex must be one of " + Checks.allowed(Sex.class));
    }
}
