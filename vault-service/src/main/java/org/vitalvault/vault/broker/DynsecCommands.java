package org.vitalvault.vault.broker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.UUID;
import org.vitalvault.wire.Topics;

/**
 * The JSON the Mosquitto dynamic-security plugin takes on {@code $CONTROL/dynamic-security/v1}
 * (mosquitto plugins/dynamic-security/README.md), for one device: pure, no connection.
 *
 * <p>A device gets a role of its own rather than one shared role with a pattern, because the plugin
 * (2.0) has no {@code %u} substitution: its ACLs name the device's topics literally. Every command
 * carries the request's correlation data, which the plugin copies into its response, so responses
 * to another admin connection's commands (all admins read the same response topic) are told apart.
 */
public final class DynsecCommands {

    /** Where commands are published. */
    public static final String COMMAND_TOPIC = "$CONTROL/dynamic-security/v1";
    /** Where the plugin publishes its responses, to every subscriber. */
    public static final String RESPONSE_TOPIC = COMMAND_TOPIC + "/response";
    /** Prefix of a device's role name; the rest is its id. */
    public static final String ROLE_PREFIX = "vitalvault-device-";

    private static final ObjectMapper JSON = new ObjectMapper();

    private DynsecCommands() {
    }

    /** One ACL entry of a role: its type, the topic (filter) and whether it allows. */
    public record Acl(String acltype, String topic, boolean allow) {
    }

    /** The device's role name. */
    public static String roleName(UUID deviceId) {
        return ROLE_PREFIX + deviceId;
    }

    /**
     * What a device may do, and nothing else (the default ACL access denies publishing and
     * subscribing): publish its readings (SenML, or JSON/CBOR for MQTT 3 nodes), subscribe to and
     * receive its receipts, and read the audit log's checkpoints (issue 17: every authenticated
     * client is a potential witness; only the vault's audit publisher may publish there).
     */
    public static List<Acl> deviceAcls(UUID deviceId) {
        return List.of(
                new Acl("publishClientSend", Topics.readings(deviceId), true),
                new Acl("publishClientSend", Topics.readings(deviceId, "json"), true),
                new Acl("publishClientSend", Topics.readings(deviceId, "cbor"), true),
                new Acl("subscribeLiteral", Topics.receipts(deviceId), true),
                new Acl("publishClientReceive", Topics.receipts(deviceId), true),
                new Acl("subscribeLiteral", Topics.AUDIT_CHECKPOINT, true),
                new Acl("publishClientReceive", Topics.AUDIT_CHECKPOINT, true));
    }

    /**
     * Pairing: the device's role, then its client (user name and client id = device id, the
     * credential as password) holding that role. The plugin runs them in order, each answered.
     */
    public static String provision(UUID deviceId, String credential, String correlation) {
        ObjectNode role = command("createRole", correlation).put("rolename", roleName(deviceId));
        ArrayNode acls = role.putArray("acls");
        for (Acl acl : deviceAcls(deviceId)) {
            acls.addObject().put("acltype", acl.acltype()).put("topic", acl.topic()).put("allow", acl.allow());
        }
        ObjectNode client = command("createClient", correlation)
                .put("username", deviceId.toString())
                .put("password", credential)
                .put("clientid", deviceId.toString());
        client.putArray("roles").addObject().put("rolename", roleName(deviceId));
        return commands(role, client);
    }

    /**
     * Unpairing: the client goes first, which also disconnects a device still connected with it,
     * then its role.
     */
    public static String deprovision(UUID deviceId, String correlation) {
        return commands(command("deleteClient", correlation).put("username", deviceId.toString()),
                command("deleteRole", correlation).put("rolename", roleName(deviceId)));
    }

    private static ObjectNode command(String name, String correlation) {
        ObjectNode c = JSON.createObjectNode().put("command", name);
        c.put("correlationData", correlation);
        return c;
    }

    private static String commands(ObjectNode... commands) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("commands");
        for (ObjectNode c : commands) {
            list.add(c);
        }
        return root.toString();
    }
}
