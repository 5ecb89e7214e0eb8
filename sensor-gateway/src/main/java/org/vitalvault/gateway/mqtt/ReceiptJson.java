package org.vitalvault.gateway.mqtt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vitalvault.gateway.ingest.Receipt;

/**
 * The wire form of a receipt on {@code receipts/{deviceId}}:
 * <pre>
 * {"batch":"…uuid…","committedAt":1780000000123,"messages":3,
 *  "stored":{"count":29,"fromTime":1780000000000,"upToTime":1780000009000},
 *  "rejected":[{"index":4,"reason":"out-of-range","time":1780000004000}],"rejectedTotal":1}
 * </pre>
 * Times are device times in epoch milliseconds; {@code index} is the record's position in its pack
 * (-1: the whole message). No value is ever included.
 */
final class ReceiptJson {

    private final ObjectMapper mapper = new ObjectMapper();

    byte[] encode(Receipt r) {
        ObjectNode root = mapper.createObjectNode();
        root.put("batch", r.batchId().toString());
        root.put("committedAt", r.committedAt());
        root.put("messages", r.messages());
        ObjectNode stored = root.putObject("stored");
        stored.put("count", r.stored());
        stored.put("fromTime", r.fromTime());
        stored.put("upToTime", r.upToTime());
        ArrayNode rejected = root.putArray("rejected");
        for (Receipt.Rejected x : r.rejected()) {
            ObjectNode o = rejected.addObject();
            o.put("index", x.index());
            o.put("reason", x.reason());
            if (x.time() != 0) {
                o.put("time", x.time());
            }
        }
        root.put("rejectedTotal", r.rejectedTotal());
        try {
            return mapper.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a receipt could not be written as JSON", e);
        }
    }
}
