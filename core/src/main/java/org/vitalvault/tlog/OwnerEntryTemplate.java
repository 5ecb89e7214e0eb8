package org.vitalvault.tlog;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

/**
 * The bytes of one owner's audit entry,
 * {@code {"v":1,"log":…,"kind":…,"at":…,"owner":…,"seq":…,"prev":…,"details":{…}}}, spliced from the
 * parts every owner of one event shares. A research query appends one entry per included owner, all
 * alike but for {@code owner}, {@code seq} and {@code prev}: the shared parts are serialised once per
 * event (by the caller's JSON writer) instead of once per owner, which was a fifth of the appender's
 * CPU (deploy/bench/audit.sh, issue 17). The bytes are exactly what a JSON writer without whitespace
 * produces for the same fields in this order; only fields that need no escaping are spliced in
 * (a UUID, a number, base64).
 */
public final class OwnerEntryTemplate {

    private static final byte[] OWNER = ",\"owner\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQ = "\",\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PREV = ",\"prev\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DETAILS = ",\"details\":".getBytes(StandardCharsets.US_ASCII);
    private static final int UUID_CHARS = 36;
    private static final int PREV_CHARS = 2 + 44; // a quoted base64 SHA-256

    private final byte[] head;
    private final byte[] details;

    /**
     * @param headObject the JSON object of the shared leading fields ({@code v, log, kind, at}), as
     *                   serialised: it must end with {@code '}'}
     * @param details    the JSON value of {@code details}, as serialised
     */
    public OwnerEntryTemplate(byte[] headObject, byte[] details) {
        int last = headObject.length - 1;
        if (last < 1 || headObject[0] != '{' || headObject[last] != '}' || headObject[last - 1] == '{') {
            throw new IllegalArgumentException("the head must be a JSON object with at least one field");
        }
        if (details.length == 0) {
            throw new IllegalArgumentException("details must be a JSON value");
        }
        this.head = Arrays.copyOf(headObject, last);
        this.details = details.clone();
    }

    /** The entry of {@code owner}'s {@code seq}-th entry, after the entry with commitment {@code prev} (null for the first). */
    public byte[] entry(UUID owner, long seq, byte[] prev) {
        byte[] seqDigits = Long.toString(seq).getBytes(StandardCharsets.US_ASCII);
        int size = head.length + OWNER.length + UUID_CHARS + SEQ.length + seqDigits.length + PREV.length
                + (prev == null ? NULL.length : PREV_CHARS) + DETAILS.length + details.length + 1;
        byte[] out = new byte[size];
        int at = put(out, 0, head);
        at = put(out, at, OWNER);
        at = put(out, at, owner.toString().getBytes(StandardCharsets.US_ASCII));
        at = put(out, at, SEQ);
        at = put(out, at, seqDigits);
        at = put(out, at, PREV);
        if (prev == null) {
            at = put(out, at, NULL);
        } else {
            if (prev.length != MerkleHash.SIZE) {
                throw new IllegalArgumentException("prev is a 32-byte commitment");
            }
            byte[] b64 = Base64.getEncoder().encode(prev);
            out[at++] = '"';
            at = put(out, at, b64);
            out[at++] = '"';
        }
        at = put(out, at, DETAILS);
        at = put(out, at, details);
        out[at] = '}';
        return out;
    }

    private static int put(byte[] out, int at, byte[] part) {
        System.arraycopy(part, 0, out, at, part.length);
        return at + part.length;
    }
}
