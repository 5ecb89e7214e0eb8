package org.vitalvault.vault.notify;

/** What a notification is about; the feed can be filtered by it, and the webhook carries it. */
public enum NoticeKind {
    /** A researcher's query used the owner's data. */
    DATA_USE,
    /** A grant or co-op membership was created, amended or revoked. */
    CONSENT_CHANGE,
    /** A caregiver was invited, accepted, or lost access. */
    CAREGIVER_CHANGE,
    /** A caregiver read the owner's data. */
    CAREGIVER_READ,
    /** Emergency access was enabled, used, or ended. */
    BREAK_GLASS,
    /** A device's records were rejected, or a device was paired or unpaired. */
    DEVICE,
    /** The owner's key was rotated, or an export was made. */
    ACCOUNT
}
