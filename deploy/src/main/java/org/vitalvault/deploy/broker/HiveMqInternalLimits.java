package org.vitalvault.deploy.broker;

import com.hivemq.configuration.service.InternalConfigurations;

/**
 * Changes a HiveMQ CE limit that is not in {@code config.xml}, by writing an internal static field.
 * Internal API: it may change in any HiveMQ release; it is isolated here so an upgrade breaks the
 * build in one obvious place.
 *
 * <p>Why: HiveMQ CE (checked on 2025.5) sends a client at most
 * {@code min(client Receive Maximum, InternalConfigurations.MAX_INFLIGHT_WINDOW_SIZE_MESSAGES)}
 * unacknowledged QoS 1 messages from its queue, and that field is 50. The sensor gateway acknowledges only after
 * its database commit, so with 50 it waits out a whole batch linger every 50 messages (measured
 * ~1,850 msg/s with the CPU half idle). The field is a plain {@code public static int}, read on
 * every delivery ({@code PublishPollServiceImpl}, {@code OrderedTopicService}); no system property
 * or config key sets it.
 *
 * <p>How HiveMQ CE uses it (read from the byte code, confirmed by test): it polls a client's queue
 * for up to {@code max(50, window)} messages, sends them, and polls again only when <em>all</em> of
 * them are acknowledged. So the window is the size of a delivery round, and a gateway that acks a
 * whole batch after one commit gets the next round right after.
 *
 * <p>Why not 65,535: each poll first reserves as many free packet identifiers as the window (out
 * of 65,535); with 65,535, a poll while any message was in flight failed with "No message id
 * available" and the shared subscription stopped delivering.
 */
final class HiveMqInternalLimits {

    /**
     * Messages per delivery round (a lower client Receive Maximum wins). Rounds of 1,000 with a
     * 20 ms commit linger allow ~50,000 messages/s per gateway connection, while reserving few
     * packet identifiers.
     */
    static final int INFLIGHT_WINDOW_MESSAGES = 1_000;

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
