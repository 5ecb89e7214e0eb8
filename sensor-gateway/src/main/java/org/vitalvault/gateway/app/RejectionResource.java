package org.vitalvault.gateway.app;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
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
    public List<RejectionLog.Entry> recent() {
        return gateway.recentRejections();
    }
}
