package org.vitalvault.store;

import java.util.UUID;

/**
 * One owner's key material as the sealed store needs it to open and seal rows: the store reads the
 * epochs' public parts ({@code seal_epoch.enc}, {@code vault_epoch.wrapped_data_key}) and asks this
 * for the data keys. The vault implements it with the owner's unwrapped private keys and the KEK;
 * the store never sees a private key or the KEK.
 *
 * <p>Implementations may cache keys and are not required to be thread-safe: use one per owner and
 * read.
 */
public interface EpochKeys {

    /** The data key of one sealing epoch, re-derived (HPKE) from its encapsulation {@code enc}. */
    byte[] dataKey(UUID epochId, int keyVersion, byte[] enc);

    /**
     * The data key of one of the vault's own epochs: unwrapped with the KEK when {@code wrapped} is
     * under the current KEK ({@code kekId} equals {@link #kekId()}), otherwise re-derived like
     * {@link #dataKey}.
     */
    byte[] vaultDataKey(UUID epochId, int keyVersion, byte[] enc, byte[] wrapped, String kekId);

    /** One of the owner's epoch data keys wrapped by the current KEK, whose id is {@link #kekId()}. */
    byte[] wrapEpochKey(UUID epochId, byte[] dataKey);

    /** The id of the KEK that wraps keys now. */
    String kekId();
}
