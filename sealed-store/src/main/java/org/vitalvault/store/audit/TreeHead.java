package org.vitalvault.store.audit;

import java.time.Instant;

/** The log as integrated: its size, its root hash (RFC 9162 MTH) and when it last grew. */
public record TreeHead(long size, byte[] rootHash, Instant integratedAt) {
}
