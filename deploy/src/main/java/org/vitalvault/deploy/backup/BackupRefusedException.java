package org.vitalvault.deploy.backup;

/** A backup or restore that must not go on: corrupt archive, wrong schema version, non-empty target. */
public final class BackupRefusedException extends RuntimeException {

    public BackupRefusedException(String message) {
        super(message);
    }
}
