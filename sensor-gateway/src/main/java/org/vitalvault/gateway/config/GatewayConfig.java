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

    /** Per-device activity for owners: last seen, rejected records by reason (decision 048). */
    Activity activity();

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
        /** Broker URL, e.g. tcp://localhost:1883, or ssl://broker:8883 for TLS (see {@link #tls}). */
        @WithDefault("tcp://localhost:1883")
        String url();

        /** TLS for an {@code ssl://} URL; both connections (ingest and receipts) use it. */
        Tls tls();

        /** Client id; must be stable across restarts, since the broker keeps the session under it. */
        @WithDefault("vault-gateway-1")
        String clientId();

        /** Username for the broker, when it requires one. */
        Optional<String> username();

        /** Password for the broker. */
        Optional<String> password();

        /**
         * User name of the receipt connection (default: {@code username} + "-receipts"). Under
         * Mosquitto's {@code use_username_as_clientid} the user name is the client id, so the
         * gateway's two connections must log in as two users or take each other over
         * (docs/decisions/029); the client id sent is {@code client-id} + "-receipts".
         */
        Optional<String> receiptsUsername();

        /** Password of the receipt connection (default: {@code password}). */
        Optional<String> receiptsPassword();

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

        /**
         * MQTT 5 Maximum Packet Size (bytes) both gateway connections announce: a compliant broker
         * never sends them a larger packet (it drops such a message for the gateway). The same
         * limit belongs at the broker, which then refuses the publish itself (docs/decisions/031);
         * it leaves room for the largest accepted payload ({@code limits.max-payload-bytes}) plus
         * topic and properties. 0 announces no limit.
         */
        @WithDefault("81920")
        @Min(0)
        int maxPacketSize();
    }

    /**
     * PEM files of the broker connection's TLS (docs/decisions/034), read at start-up: a missing or
     * unusable file stops the gateway with a message naming the setting. Setting any of them for a
     * {@code tcp://} URL is refused too (the link would not be what the operator believes).
     */
    interface Tls {
        /** CA certificate(s) the broker's certificate must chain to; unset = the JDK's default trust. */
        Optional<String> trustFile();

        /** Client certificate (chain, leaf first) for a broker that requires one (mutual TLS). */
        Optional<String> certFile();

        /** Its unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY}). */
        Optional<String> keyFile();
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

        /**
         * Bytes the messages taken and not yet committed may hold (besides the count of
         * {@link #queueCapacity}); beyond it the MQTT callback blocks. A message counts its payload
         * size, or its decoded readings' size when larger (it keeps no payload once decoded);
         * refused messages count nothing.
         */
        @WithDefault("33554432")
        @Min(1)
        int maxQueuedBytes();
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

    interface Activity {
        /**
         * How often the counts of the window that ended are written to {@code device_activity} (one
         * INSERT of one row per device heard from). Also the resolution of a device's "last seen"
         * delay: it shows in the owner's device list at most about this long after the message.
         */
        @WithDefault("PT10S")
        Duration flushInterval();

        /**
         * Devices counted per window; devices beyond it in one window are not counted for it
         * ({@code vitalvault_gateway_activity_devices_dropped}), which bounds the memory it takes.
         */
        @WithDefault("100000")
        @Min(1)
        int maxDevices();

        /** Statement timeout of the INSERT, in seconds: a stalled database costs a window's counts, not a thread. */
        @WithDefault("5")
        @Min(1)
        @Max(300)
        int writeTimeoutSeconds();
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

        /**
         * Readings one device may send per second on average (token bucket, see {@link #deviceBurst});
         * a message that would exceed it is rejected whole with {@code rate-limited}. 0 = unlimited.
         */
        @WithDefault("200")
        @Min(0)
        long deviceReadingsPerSecond();

        /**
         * Payload bytes one device may send per second on average, checked before the payload is
         * decoded; over it a message is rejected whole with {@code rate-limited}. 0 = unlimited.
         */
        @WithDefault("65536")
        @Min(0)
        long deviceBytesPerSecond();

        /**
         * How much a device may send at once: each bucket holds this long of its rate (capacity =
         * rate × burst), so a device back from an outage sends its first burst at once, then at its rate.
         */
        @WithDefault("PT60S")
        Duration deviceBurst();

        /**
         * A message whose decoding and validation took longer is rejected {@code processing-failed}
         * (after the fact: the decoders' limits bound that work; this catches what they let through).
         */
        @WithDefault("PT2S")
        Duration processingDeadline();
    }
}
