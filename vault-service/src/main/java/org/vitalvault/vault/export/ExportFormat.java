package org.vitalvault.vault.export;

import java.util.Locale;
import java.util.UUID;
import org.vitalvault.vault.refusal.InvalidInput;

/** The formats an owner can export their vault in. */
public enum ExportFormat {

    /** A FHIR R4 Bundle of type collection: Patient, Devices, Observations. */
    FHIR(FhirBundleWriter.MEDIA_TYPE, "fhir.json"),
    /** One line per reading. */
    CSV("text/csv", "csv");

    private final String mediaType;
    private final String extension;

    ExportFormat(String mediaType, String extension) {
        this.mediaType = mediaType;
        this.extension = extension;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The file name offered to the client, e.g. {@code vitalvault-<owner>.fhir.json}. */
    public String fileName(UUID ownerId) {
        return "vitalvault-" + ownerId + "." + extension;
    }

    /** The format named by a query parameter; absent means FHIR. */
    public static ExportFormat parse(String value) {
        if (value == null || value.isBlank()) {
            return FHIR;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw InvalidInput.field("format", "must be one of fhir, csv");
        }
    }
}
