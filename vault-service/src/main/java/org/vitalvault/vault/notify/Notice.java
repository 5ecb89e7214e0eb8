package org.vitalvault.vault.notify;

import java.util.Objects;

/**
 * One notification for an owner: its kind and a plain-language sentence (sealed at rest; it may name
 * a caregiver or a clinician's reason, never a health value).
 */
public record Notice(NoticeKind kind, String text) {
    public Notice {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
    }
}
