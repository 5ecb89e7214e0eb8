package org.vitalvault.gateway.app;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.vitalvault.gateway.ingest.RejectionLog;

/**
 * The bounded rejection log for operators, on the gateway's management port: device, topic,
 * reason, record count, time. It holds no value and no payload.
 */
@Path("/rejections")
public class RejectionResource {

    @Inject
    GatewayService gateway;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<Rejection> recent() {
        return gateway.recentRejections().stream().map(Rejection::of).toList();
    }

    /** One entry as operators read it: the reason as its wire code, as in receipts and metrics. */
    public record Rejection(long at, UUID deviceId, String topic, String reason, int records) {
        static Rejection of(RejectionLog.Entry e) {
            return new Rejection(e.at(), e.deviceId(), e.topic(), e.reason().code(), e.records());
        }
    }
}
