package org.vitalvault.vault.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Typed configuration of the vault service; checked at start-up. */
@ConfigMapping(prefix = "vitalvault")
public interface VaultConfig {

    /** Where the master key (KEK) comes from. Exactly one of {@code file} and {@code base64} must be set. */
    Kek kek();

    /**
     * The vault's Ed25519 signing key (erasure receipts, later lease documents and consent
     * receipts). Exactly one of {@code file} and {@code base64} must be set.
     */
    SigningKey signingKey();

    /** The development token mint (POST /dev/tokens), in local-stack, dev and test builds only. */
    DevTokens devTokens();

    /**
     * Bearer tokens (decision 035). quarkus-oidc verifies them ({@code quarkus.oidc.*}); these keys
     * say what every token must carry and, for the local stack, which static key signs them.
     */
    Jwt jwt();

    /** What a paired device is told about where to publish. */
    Mqtt mqtt();

    /** The owner app at /app/ and its browser login (docs/decisions/043, 044). */
    App app();

    /** The transparency log (docs/decisions/050). */
    Audit audit();

    interface Audit {
        /**
         * The log's name: the first line of every checkpoint, the signed-note key name, and the
         * {@code log} field of every entry. A schema-less URL, e.g. {@code vault.example.org/audit}.
         */
        @WithDefault("vitalvault.local/audit")
        String origin();

        /** How often a replica tries to integrate queued entries (only one integrates at a time). */
        @WithDefault("PT0.2S")
        Duration integrateInterval();

        /** At most this many entries per integration transaction. */
        @WithDefault("20000")
        int integrateBatch();

        /** A checkpoint is signed at least this often while the tree grows. */
        @WithDefault("PT2S")
        Duration checkpointInterval();

        /** Witness file: each new checkpoint is written here (atomically replaced). */
        Optional<Path> checkpointFile();

        /** Witness topic: each new checkpoint is published here, retained, QoS 1. */
        @WithDefault("vitalvault/audit/checkpoint")
        String mqttTopic();

        /** The broker the checkpoints are published to; none: no MQTT witness. */
        Optional<String> mqttUrl();

        /** The vault's MQTT user for publishing checkpoints. */
        @WithDefault("vitalvault-audit")
        String mqttUsername();

        /** Its password (from the environment in production). */
        Optional<String> mqttPassword();
    }


    interface App {
        /**
         * The OIDC client id the app logs in as at the provider of {@code quarkus.oidc.auth-server-url}
         * (a public client with PKCE S256; the Keycloak realm's {@code vitalvault-app}). The app asks
         * the provider for a token of the vault's audience ({@code vitalvault.jwt.audience}): the
         * provider must put that audience into the client's access tokens (an audience mapper).
         */
        @WithDefault("vitalvault-app")
        String clientId();

        /** The scope the app asks for at login. */
        @WithDefault("openid")
        String scope();
    }

    /**
     * Whether pairing and unpairing provision an external broker (docs/decisions/029): {@code none}
     * for a broker that reads device credentials from the database itself (the local stack's
     * embedded HiveMQ), {@code mosquitto-dynsec} for Mosquitto's dynamic-security plugin.
     */
    Broker broker();

    /** Limits of owner reads. */
    Reads reads();

    /** Caregiver delegations (docs/decisions/046). */
    Care care();

    interface Care {
        /** Longest a delegation may last: its expiresAt at most this far ahead when created. */
        @WithDefault("P366D")
        Duration maxDuration();

        /**
         * Failed invite redemptions one caregiver subject may make in any hour; the next is refused
         * (429) until the oldest is an hour old. Bounds guessing of 80-bit invite codes.
         */
        @WithDefault("10")
        int failedInvitesPerHour();
    }

    /** What survives a restore from a backup: the erasure journal (docs/decisions/040). */
    Erasure erasure();

    interface Erasure {
        /**
         * A file outside the database (its own volume, not in the database's backups) to which every
         * owner erasure appends one line: time, owner id, receipt id — no subject. At start-up the
         * vault erases again every journaled owner the database still holds, which is what a restore
         * from a backup taken before the erasure brings back. Unset: no journal, and a restore undoes
         * erasures (the operator must re-apply them by hand). Every replica names the same file.
         */
        Optional<Path> journalFile();
    }

    /** The owner's notification feed and the operator's webhook (docs/decisions/045). */
    Notifications notifications();

    interface Notifications {
        /**
         * Where every new notification is announced (an operator's push service): POST of
         * {@code {"id","ownerId","kind","createdAt"}}, never the text. Unset: nothing is delivered and
         * nothing is queued for delivery. http or https.
         */
        Optional<java.net.URI> webhookUrl();

        /**
         * The HMAC-SHA256 key of the {@code X-VitalVault-Signature} header, at least 32 characters
         * (env {@code VITALVAULT_NOTIFICATIONS_WEBHOOK_SECRET}); required with {@code webhook-url}.
         */
        Optional<String> webhookSecret();

        /** Pause of the delivery worker between two looks at the outbox. */
        @WithDefault("PT5S")
        Duration pollInterval();

        /** How long one delivery may take (connect and answer) before it counts as failed. */
        @WithDefault("PT10S")
        Duration timeout();

        /** Attempts per notification; after the last failed one it is dropped (counted, logged without text). */
        @WithDefault("12")
        int maxAttempts();

        /** Pause after the first failed attempt; doubled after each further one, up to {@code max-backoff}. */
        @WithDefault("PT5S")
        Duration initialBackoff();

        /** Longest pause between two attempts at one notification. */
        @WithDefault("PT1H")
        Duration maxBackoff();

        /** Notifications one replica takes from the outbox per transaction. */
        @WithDefault("50")
        int batchSize();
    }

    /** The background job that compacts pending batches into sealed hours. */
    Compaction compaction();

    /** Device activity the gateway records (decision 048): how long it is kept, how owners are told. */
    Devices devices();

    interface Devices {
        /** Rows of device_activity older than this are deleted; rejections are reported over at most this span. */
        @WithDefault("P30D")
        Duration activityRetention();

        /** How often the device activity job runs: refused-records notices, then pruning. */
        @WithDefault("PT1M")
        Duration activityJobInterval();

        /** The shortest time between two "records refused" notices of one device. */
        @WithDefault("PT1H")
        Duration rejectionNoticeEvery();
    }

    /** Break-glass: a clinician's emergency access to an owner who opted in (docs/decisions/047). */
    Emergency emergency();

    interface Emergency {
        /** How long one emergency episode lasts unless the owner ends it sooner. */
        @WithDefault("PT1H")
        Duration duration();

        /**
         * Failed emergency-code attempts one clinician (token subject) may make per
         * {@link #attemptWindow()}; further attempts, right code or not, are refused 429 until the
         * window turns.
         */
        @WithDefault("10")
        int failedAttemptsPerClinician();

        /**
         * Failed attempts of all clinicians together per {@link #attemptWindow()}: bounds guessing by
         * many clinician accounts (decision 047 computes the odds); reaching it refuses every attempt
         * until the window turns, so it is high and its use is counted in metrics.
         */
        @WithDefault("1000")
        int failedAttemptsGlobal();

        /** The fixed window the two attempt limits count in. */
        @WithDefault("PT1H")
        Duration attemptWindow();
    }

    /**
     * The deployment's system terms, the bounds every grant and lease must stay within; the
     * defaults are the policy module's. A value below the floor (k under 11) stops the vault at
     * start-up rather than weakening a promise.
     */
    Policy policy();

    interface Policy {
        /** Smallest cohort any lease or released cell may have (k, at least 11). */
        @WithDefault("11")
        int minimumCohort();

        /** Most ε one lease may spend. */
        @WithDefault("2.0")
        double maxEpsilonPerLease();

        /** Most ε one owner's data may be charged over a rolling year. */
        @WithDefault("10.0")
        double maxEpsilonPerYear();

        /** Longest lease. */
        @WithDefault("P366D")
        Duration maxLeasePeriod();

        /** Smallest ε one query may spend (decision 024): below it a query is refused before any data is read. */
        @WithDefault("0.01")
        double minEpsilonPerQuery();

        /** Largest ε one query may spend. */
        @WithDefault("1.0")
        double maxEpsilonPerQuery();

        /** Most numbers one query may release: buckets × (scalar kinds + quantiles + histogram bins). */
        @WithDefault("10000")
        int maxReleasedNumbers();

        /**
         * ε one lease request spends on its noisy cohort estimate and price, drawn from the organisation's
         * discovery budget (decision 024).
         */
        @WithDefault("0.1")
        double leaseRequestEpsilon();

        /** An organisation's discovery budget: the ε its lease requests may spend in any 365 days. */
        @WithDefault("2.0")
        double discoveryEpsilonPerYear();

        /** Most lease requests one organisation may make in any 24 hours. */
        @WithDefault("10")
        int leaseRequestsPerDay();
    }

    interface Kek {
        /** A file holding the base64 master key; created with mode 0600 when {@code create-if-missing}. */
        Optional<Path> file();

        /** When true and {@code file} does not exist, generate a new master key into it (local mode only). */
        @WithDefault("false")
        boolean createIfMissing();

        /** The master key itself, base64 (from the environment or a secret store: VITALVAULT_KEK_BASE64). */
        Optional<String> base64();

        /**
         * KEK rotation: a file holding the previous master key (base64), whose owner keys are
         * re-wrapped under the current one. Never created. At most one of {@code previous-file}
         * and {@code previous-base64}.
         */
        Optional<Path> previousFile();

        /** KEK rotation: the previous master key itself, base64 (VITALVAULT_KEK_PREVIOUS_BASE64). */
        Optional<String> previousBase64();

        /** Re-wrap every owner key still under the previous KEK at start-up (when a previous KEK is set). */
        @WithDefault("true")
        boolean rewrapAtStart();

        /** Owner keys re-wrapped per transaction during a KEK rotation. */
        @WithDefault("500")
        int rewrapBatchSize();
    }

    interface SigningKey {
        /**
         * A file holding the vault's Ed25519 private key as base64 of its PKCS#8 encoding; created
         * with mode 0600 when {@code create-if-missing}. A file readable by group or others is refused.
         */
        Optional<Path> file();

        /** When true and {@code file} does not exist, generate a new signing key into it (local mode only). */
        @WithDefault("false")
        boolean createIfMissing();

        /** The private key itself, base64 of PKCS#8 (from a secret store: VITALVAULT_SIGNING_KEY_BASE64). */
        Optional<String> base64();
    }

    interface Jwt {
        /**
         * The audience ({@code aud}) every token must name; a token the same issuer made for another
         * application is refused. Copied into {@code quarkus.oidc.token.audience}; the development
         * mint puts it into the tokens it signs. Env {@code VITALVAULT_JWT_AUDIENCE}.
         */
        @WithDefault("vitalvault")
        String audience();

        /**
         * Static-key mode (the local stack's development tokens): a PEM public key file (a path or a
         * {@code file:} URL) that verifies every token, instead of discovery at
         * {@code quarkus.oidc.auth-server-url}. Env {@code VITALVAULT_JWT_PUBLIC_KEY}. Set exactly
         * one of the two ({@link org.vitalvault.vault.auth.StaticKeyConfigSourceFactory}).
         */
        Optional<String> publicKeyFile();

        /**
         * The issuer ({@code iss}) of tokens in static-key mode, and the one the development mint
         * writes. With discovery the provider's own {@code issuer} is required instead. Env
         * {@code VITALVAULT_JWT_ISSUER}.
         */
        @WithDefault("https://vitalvault.local/dev")
        String issuer();
    }

    interface DevTokens {
        /**
         * Build time only: whether POST /dev/tokens (DevelopmentTokenMint) is built into the
         * application at all. Read by Quarkus when it builds the vault (true for dev, test and the
         * local stack's build; false for the production build); setting it at run time changes
         * nothing. Declared here so that the key is documented and known to the configuration.
         */
        @WithDefault("false")
        boolean enabled();

        /** Lifetime of a minted development token (and of one the development login issues). */
        @WithDefault("PT12H")
        Duration lifetime();

        /**
         * How long an authorization code of the development login ({@code /dev/oidc}, built in with the
         * mint) may be exchanged for a token; it is good for one exchange only.
         */
        @WithDefault("PT1M")
        Duration loginCodeLifetime();
    }

    interface Mqtt {
        /** Broker URL handed to a device at pairing; ssl://host:8883 for the TLS listener. */
        @WithDefault("tcp://localhost:1883")
        String publicUrl();

        /**
         * PEM CA certificate(s) the broker's TLS certificate chains to, handed to a device at pairing
         * ({@code mqttCaPem}) so it can verify the broker without another channel (the local stack's
         * {@code data/tls/ca.pem}); unset for a broker whose certificate devices already trust. Read
         * at start-up: a missing or malformed file stops the vault.
         */
        Optional<String> caFile();
    }

    interface Broker {

        /** How devices reach the broker's own user list. */
        enum Provisioning {
            /** The broker reads the device table itself (embedded HiveMQ): nothing to provision. */
            NONE,
            /** Mosquitto 2 with the dynamic-security plugin, through {@code $CONTROL/dynamic-security/v1}. */
            MOSQUITTO_DYNSEC
        }

        /** {@code none} or {@code mosquitto-dynsec}. */
        @WithDefault("none")
        Provisioning provisioning();

        /** The broker's admin connection, e.g. tcp://mosquitto:1883 (required for {@code mosquitto-dynsec}). */
        Optional<String> adminUrl();

        /**
         * The dynamic-security client the vault logs in as; its role may only publish and read
         * {@code $CONTROL/dynamic-security/#}. One per vault replica: under
         * {@code use_username_as_clientid} two replicas with one user name would take each other over.
         */
        @WithDefault("vault-provisioner")
        String adminUsername();

        /** Its password (VITALVAULT_BROKER_ADMIN_PASSWORD). */
        Optional<String> adminPassword();

        /** How long one command waits for the plugin's response before the broker counts as unavailable. */
        @WithDefault("PT5S")
        Duration timeout();

        /** Pause of the outbox worker when nothing is due; an unpairing wakes it at once. */
        @WithDefault("PT5S")
        Duration outboxInterval();

        /** Longest pause between two attempts at one outbox entry while the broker stays unreachable. */
        @WithDefault("PT1M")
        Duration outboxMaxBackoff();

        /** TLS of the admin connection when {@code admin-url} is ssl:// (docs/decisions/034). */
        Tls tls();

        /** PEM files; a missing or unusable one stops the vault with a message naming the setting. */
        interface Tls {
            /** CA certificate(s) the broker's certificate must chain to; unset = the JDK's default trust. */
            Optional<String> trustFile();

            /** Client certificate for a broker that requires one (mutual TLS). */
            Optional<String> certFile();

            /** Its unencrypted PKCS#8 private key. */
            Optional<String> keyFile();
        }
    }

    interface Reads {
        /** Longest time range one raw series read may span. */
        @WithDefault("P31D")
        Duration maxRawRange();

        /**
         * Most readings one raw or minute read may return (counted from the hourly rollups before any
         * point is decrypted); a read over more is refused with a pointer to a coarser resolution.
         */
        @WithDefault("100000")
        int maxRawPoints();
    }

    interface Compaction {
        /** Run the job in this process. Several replicas may all run it: hours are locked one by one. */
        @WithDefault("true")
        boolean enabled();

        /** Pause between passes when the previous pass found nothing to do. */
        @WithDefault("PT30S")
        Duration interval();

        /** Most hours one pass compacts (and, separately, re-seals after a key rotation). */
        @WithDefault("500")
        int maxHoursPerPass();

        /**
         * An hour's pending batches are compacted once the oldest is this old (or there are
         * {@link #maxPendingBatches()} of them): an hour still filling is not re-sealed at every pass.
         */
        @WithDefault("PT5M")
        Duration minBatchAge();

        /**
         * Pending batches of one hour that make it due at once, bounding what a read opens (a
         * batch opens in microseconds, so a few thousand cost a read milliseconds).
         */
        @WithDefault("2048")
        int maxPendingBatches();

        /**
         * How long an epoch nothing refers to is kept after its creation. Must exceed the gateway's
         * epoch length (vitalvault.gateway.epoch-length, P1D): a gateway seals under its epoch that long.
         */
        @WithDefault("P2D")
        Duration epochGrace();

        /** How long a retired owner key is kept at least, for gateways whose device cache still names it. */
        @WithDefault("PT5M")
        Duration retiredKeyGrace();
    }
}
