package org.vitalvault.gateway.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.http.ManagementInterface;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.vitalvault.gateway.ingest.RejectionLog;

/**
 * The bounded rejection log for operators, {@code GET /rejections} on the gateway's management
 * interface only (loopback port 9001 by default, never the main HTTP port; decision 038): device,
 * topic, reason, record count, time. It holds no value and no payload, but device ids and topics
 * are still not for the public.
 */
@ApplicationScoped
public class RejectionRoute {

    /** The management route; answered on the event loop (the log is an in-memory ring). */
    public static final String PATH = "/rejections";

    @Inject
    GatewayService gateway;

    @Inject
    ObjectMapper json;

    void register(@Observes ManagementInterface management) {
        management.router().get(PATH).handler(rc -> {
            String body;
            try {
                body = json.writeValueAsString(recent());
            } catch (JsonProcessingException e) {
                rc.fail(e);
                return;
            }
            rc.response().putHeader("Content-Type", "application/json").end(body);
        });
    }

    List<Rejection> recent() {
        return gateway.recentRejections().stream().map(Rejection::of).toList();
    }

    /** One entry as operators read it: the reason as its wire code, as in receipts and metrics. */
    public record Rejection(long at, UUID deviceId, String topic, String reason, int records) {
        static Rejection of(RejectionLog.Entry e) {
            return new Rejection(e.at(), e.deviceId(), e.topic(), e.reason().code(), e.records());
        }
    }
}
