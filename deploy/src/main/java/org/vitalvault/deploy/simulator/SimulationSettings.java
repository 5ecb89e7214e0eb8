package org.vitalvault.deploy.simulator;

import java.util.Locale;

/**
 * How the simulated devices behave.
 *
 * @param format     {@code json}, {@code cbor}, or {@code mixed} (each device picks one)
 * @param mac        wrap every pack in COSE_Mac0 under the device's key (pairs devices as mac-required)
 * @param packScale  multiplies every device's readings per pack (1 = the device's natural pack)
 * @param badShare   share of packs made invalid on purpose (implausible value, wrong unit, garbage)
 * @param lateShare  share of packs held back and sent later, out of order, with their old times
 */
public record SimulationSettings(String format, boolean mac, int packScale, double badShare, double lateShare) {

    public SimulationSettings {
        format = format.toLowerCase(Locale.ROOT);
        if (!format.equals("json") && !format.equals("cbor") && !format.equals("mixed")) {
            throw new IllegalArgumentException("format must be one of json, cbor, mixed");
        }
        if (packScale < 1) {
            throw new IllegalArgumentException("pack scale must be at least 1");
        }
        if (badShare < 0 || badShare > 1 || lateShare < 0 || lateShare > 1) {
            throw new IllegalArgumentException("bad and late shares must lie between 0 and 1");
        }
    }

    public static SimulationSettings defaults() {
        return new SimulationSettings("mixed", false, 1, 0, 0);
    }
}
