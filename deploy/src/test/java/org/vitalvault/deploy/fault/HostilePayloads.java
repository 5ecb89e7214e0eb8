package org.vitalvault.deploy.fault;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.vitalvault.cbor.CborWriter;
import org.vitalvault.cose.CoseMac0;

/** What an attacker with one paired device sends (issue 14). */
final class HostilePayloads {

    private HostilePayloads() {
    }

    /**
     * A tagged COSE_Mac0 whose unprotected header has {@code labels} distinct integer labels (3, 4,
     * 5, …; never alg 1 or crit 2), a small attached SenML payload and a 32-byte tag that is not a
     * valid MAC: all the cost lies in the header, which a parser reads before the MAC. 300,000
     * labels make about 1.4 MB; 16,000 labels about 64 KB, under the gateway's COSE size limit, so
     * that one reaches the header parser.
     */
    static byte[] coseLabelBomb(int labels) {
        CborWriter w = new CborWriter()
                .writeTag(CoseMac0.COSE_MAC0_TAG)
                .writeArrayStart(4)
                .writeBytes(new CborWriter().writeMapStart(1).writeInteger(1).writeInteger(CoseMac0.HMAC_256_256)
                        .toByteArray())
                .writeMapStart(labels);
        for (int i = 0; i < labels; i++) {
            w.writeInteger(3L + i).writeInteger(0);
        }
        return w.writeBytes("[{\"n\":\"heart_rate\",\"v\":60}]".getBytes(StandardCharsets.UTF_8))
                .writeBytes(new byte[32])
                .toByteArray();
    }

    /** {@code depth} nested one-element CBOR arrays around the integer 0: one byte per level. */
    static byte[] nestedCbor(int depth) {
        byte[] b = new byte[depth + 1];
        Arrays.fill(b, 0, depth, (byte) 0x81);
        b[depth] = 0x00;
        return b;
    }

    /** The nested CBOR inside a COSE_Mac0 with a valid MAC under the device's key. */
    static byte[] nestedCborInCose(int depth, byte[] macKey) {
        return CoseMac0.create(nestedCbor(depth), macKey);
    }
}
