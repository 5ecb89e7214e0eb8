package org.vitalvault.gateway.mqtt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.vitalvault.gateway.ingest.Receipt;

/**
 * The wire form of a receipt on {@code receipts/{deviceId}}:
 * <pre>
 * {"batch":"…uuid…","committedAt":1780000000123,"commits":2,"messages":3,
 *  "stored":{"count":29,"fromTime":1780000000000,"upToTime":1780000009000},
 *  "rejected":[{"index":4,"reason":"out-of-range","time":1780000004000}],"rejectedTotal":1}
 * </pre>
 * Times are device times in epoch milliseconds; {@code index} is the record's position in its pack
 * (-1: the whole message). {@code commits} is how many commits the receipt covers (more than 1 when
 * coalesced; {@code batch} and {@code committedAt} are then the latest commit's). No value is ever
 * included. Written with Jackson's streaming generator: no tree per receipt.
 */
final class ReceiptJson {

    private static final JsonFactory JSON = new JsonFactory();

    byte[] encode(Receipt r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(192 + 48 * r.rejected().size());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("batch", r.batchId().toString());
            g.writeNumberField("committedAt", r.committedAt());
            g.writeNumberField("commits", r.commits());
            g.writeNumberField("messages", r.messages());
            g.writeObjectFieldStart("stored");
            g.writeNumberField("count", r.stored());
            g.writeNumberField("fromTime", r.fromTime());
            g.writeNumberField("upToTime", r.upToTime());
            g.writeEndObject();
            g.writeArrayFieldStart("rejected");
            for (Receipt.Rejected x : r.rejected()) {
                g.writeStartObject();
                g.writeNumberField("index", x.index());
                g.writeStringField("reason", x.reason().code());
                if (x.time() != 0) {
                    g.writeNumberField("time", x.time());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("rejectedTotal", r.rejectedTotal());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a receipt could not be written as JSON", e);
        }
        return out.toByteArray();
    }
}
