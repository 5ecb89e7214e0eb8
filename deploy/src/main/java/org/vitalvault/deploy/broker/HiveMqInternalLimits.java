package org.vitalvault.deploy.broker;

import com.hivemq.configuration.service.InternalConfigurations;

/**
 * Changes a HiveMQ CE limit that is not in {@code config.xml}, by writing an internal static field.
 * Internal API: it may change in any HiveMQ release; it is isolated here so an upgrade breaks the
 * build in one obvious place.
 *
 * <p>Why: HiveMQ CE (checked on 2025.5) sends a client at most
 * {@code min(client Receive Maximum, InternalConfigurations.MAX_INFLIGHT_WINDOW_SIZE_MESSAGES)}
 * unacknowledged QoS 1 messages, and that field is 50. The sensor gateway acknowledges only after
 * its database commit, so with 50 it waits out a whole batch linger every 50 messages (measured
 * ~1,850 msg/s with the CPU half idle). The field is a plain {@code public static int}, read on
 * every delivery ({@code PublishPollServiceImpl}, {@code OrderedTopicService}); no system property
 * or config key sets it.
 */
final class HiveMqInternalLimits {

    /**
     * The largest Receive Maximum MQTT 5 allows: with it, the client's own Receive Maximum alone
     * decides how many messages are in flight, as the MQTT 5 specification intends.
     */
    static final int INFLIGHT_WINDOW_MESSAGES = 65_535;

    private HiveMqInternalLimits() {
    }

    /** Sets the in-flight window for every HiveMQ broker in this JVM; call before start. */
    static void raiseInflightWindow() {
        InternalConfigurations.MAX_INFLIGHT_WINDOW_SIZE_MESSAGES = INFLIGHT_WINDOW_MESSAGES;
    }

    /** The in-flight window HiveMQ currently uses. */
    static int inflightWindow() {
        return InternalConfigurations.MAX_INFLIGHT_WINDOW_SIZE_MESSAGES;
    }
}
