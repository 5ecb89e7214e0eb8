package org.vitalvault.vault.notify;

import jakarta.enterprise.context.ApplicationScoped;
import org.vitalvault.store.RowsEraser;

/** Deletes the owner's notification feed and anything of it not yet sent to the webhook. */
@ApplicationScoped
public class NoticeEraser extends RowsEraser {
    public NoticeEraser() {
        super(790, "notification_outbox", "owner_notification");
    }
}
