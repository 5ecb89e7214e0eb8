package org.vitalvault.crypto;

/**
 * What a sealed blob is bound to, as bytes authenticated by AES-GCM. Each implementation starts its
 * encoding with its own label, so a blob sealed under one kind of context never opens under another.
 */
public interface AssociatedData {

    /** The canonical, injective encoding; a fresh array on every call. */
    byte[] bytes();
}
