package org.vitalvault.gateway.mqtt;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import org.vitalvault.store.Migrations;

/** A real PostgreSQL with the schema and an embedded MQTT broker, for a test boot of the whole gateway. */
public class GatewayTestResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedPostgres postgres;
    private TestBroker broker;

    @Override
    public Map<String, String> start() {
        try {
            postgres = EmbeddedPostgres.builder().start();
            try (Connection c = postgres.getPostgresDatabase().getConnection()) {
                Migrations.applyAll(c);
            }
            broker = TestBroker.start(Files.createTempDirectory("gateway-test-broker"), "vault-gateway",
                    new TestBroker.AckObserver() {
                        @Override
                        public void acknowledged(String topic) {
                        }

                        @Override
                        public void unmatched(int packetId) {
                        }
                    });
            return Map.of(
                    "quarkus.datasource.jdbc.url", postgres.getJdbcUrl("postgres", "postgres"),
                    "quarkus.datasource.username", "postgres",
                    "quarkus.datasource.password", "",
                    "vitalvault.gateway.mqtt.url", broker.url());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        try {
            if (broker != null) {
                broker.close();
            }
            if (postgres != null) {
                postgres.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
