package org.vitalvault.gateway.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while connected to the broker. */
@Readiness
@ApplicationScoped
public class MqttHealthCheck implements HealthCheck {

    @Inject
    GatewayService gateway;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("mqtt").status(gateway.mqttConnected()).build();
    }
}
