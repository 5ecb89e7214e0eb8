package org.vitalvault.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.Optional;

/** Typed configuration of the sensor gateway; checked at start-up. */
@ConfigMapping(prefix = "vitalvault.gateway")
public interface GatewayConfig {

    Mqtt mqtt();

    Batch batch();

    Limits limits();

    Receipts receipts();

    /** How long one sealing epoch (one HPKE encapsulation per owner) lasts. */
    @WithDefault("P1D")
    Duration epochLength();

    /**
     * How long a device → owner mapping is cached; an unpaired device stops resolving within it
     * (at once when the vault's unpairing notification arrives). Devices in use are reloaded in
     * bulk in the background from half this lifetime on, so lookups do not wait for the database
     * (docs/decisions/032).
     */
    @WithDefault("PT10S")
    Duration deviceCacheTtl();

    interface Mqtt {
        /** Broker URL, e.g. tcp://localhost:1883. */
        @WithDefault("tcp://localhost:1883")
        String url();

        /** Client id; must be stable across restarts, since the broker keeps the session under it. */
        @WithDefault("vault-gateway-1")
        String clientId();

        /** Username for the broker, when it requires one. */
        Optional<String> username();

        /** Password for the broker. */
        Optional<String> password();

        /** Shared-subscription group: gateways in one group split the load. */
        @WithDefault("vault-gw")
        String sharedGroup();

        /** Receive Maximum: unacknowledged QoS 1 messages the broker may send at once. */
        @WithDefault("1000")
        @Min(1)
        @Max(65535)
        int receiveMaximum();

        /** Session expiry: how long the broker keeps queued messages while the gateway is away. */
        @WithDefault("PT1H")
        Duration sessionExpiry();

        /**
         * With nothing unacknowledged and no message for this long, the gateway subscribes again,
         * which wakes a broker whose shared-subscription delivery stalled (HiveMQ CE #558);
         * PT0S turns it off.
         */
        @WithDefault("PT15S")
        Duration idleResubscribe();
    }

    interface Batch {
        /**
         * Most messages in one transaction. A batch is cut before it is full only when the linger
         * has passed, the committer is free and no message is waiting, so this is reached only
         * under load, where fuller batches mean fewer commits and fewer sealed rows.
         */
        @WithDefault("2000")
        @Min(1)
        int maxMessages();

        /** How long the writer waits for more messages before committing a partial batch. */
        @WithDefault("PT0.005S")
        Duration linger();

        /** Messages waiting for the writer; beyond it the MQTT callback blocks (backpressure). */
        @WithDefault("4000")
        @Min(1)
        int queueCapacity();

        /** Longest pause between retries while PostgreSQL is unavailable. */
        @WithDefault("PT2S")
        Duration maxBackoff();
    }

    interface Receipts {
        /**
         * The shortest time between two receipts to one device: a device's first receipt after a
         * quiet interval goes out at once, receipts of its later commits within the interval are
         * merged into one sent when the interval ends (docs/decisions/015). PT0S sends one receipt
         * per device and commit.
         */
        @WithDefault("PT0.5S")
        Duration coalesce();
    }

    interface Limits {
        /** Largest accepted payload. */
        @WithDefault("65536")
        int maxPayloadBytes();

        /** Most SenML records in one message. */
        @WithDefault("1000")
        int maxRecords();

        /** How far in the future a device time may lie. */
        @WithDefault("PT5M")
        Duration maxFuture();

        /** How old a reading may be. */
        @WithDefault("P30D")
        Duration maxAge();
    }
}
