package org.vitalvault.gateway.mqtt;

import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Sends the acknowledgement of a received QoS 1 (PUBACK) or QoS 2 (PUBCOMP) message on the
 * client's current connection. In the gateway this is Paho's
 * {@link org.eclipse.paho.mqttv5.client.MqttAsyncClient#messageArrivedComplete}, which sends a
 * packet with that id on whatever connection stands when it is called: it knows nothing of the
 * connection the message came on. {@link Deliveries} decides whether it may be called.
 */
@FunctionalInterface
public interface Acknowledger {

    void acknowledge(int packetId, int qos) throws MqttException;
}
