package org.vitalvault.gateway.receipts;

import org.vitalvault.gateway.ingest.Receipt;

/** Hands a receipt to the broker connection without waiting for the broker. */
@FunctionalInterface
public interface ReceiptTransport {

    /** @return false when the receipt could not be handed over (disconnected, in-flight window full) */
    boolean send(Receipt receipt);
}
