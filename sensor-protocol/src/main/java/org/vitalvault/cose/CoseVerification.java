package org.vitalvault.cose;

import java.util.Arrays;

/**
 * The outcome of {@link CoseMac0#verify(byte[], byte[])}: either the authenticated payload or a
 * {@link CoseRejection} saying why there is none.
 */
public sealed interface CoseVerification permits CoseVerification.Verified, CoseRejection {

    /**
     * The MAC checked out under the given key: {@code payload} is exactly what the key holder
     * sent. The array is the caller's (a fresh copy per verification).
     */
    record Verified(byte[] payload) implements CoseVerification {

        @Override
        public boolean equals(Object other) {
            return other instanceof Verified verified && Arrays.equals(payload, verified.payload);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(payload);
        }

        /** The payload carries health values: only its size is shown. */
        @Override
        public String toString() {
            return "Verified[payload=" + payload.length + " bytes]";
        }
    }
}
