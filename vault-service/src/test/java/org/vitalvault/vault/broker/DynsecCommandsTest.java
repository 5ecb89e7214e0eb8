package org.vitalvault.vault.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DynsecCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID DEVICE = UUID.fromString("3f1e2a4b-0000-4000-8000-000000000001");

    @Test
    void provisioningCreatesTheDevicesRoleThenItsClientWithThatRole() throws Exception {
        JsonNode commands = JSON.readTree(DynsecCommands.provision(DEVICE, "s3cret", "c-1")).get("commands");
        assertEquals(2, commands.size());
        JsonNode role = commands.get(0);
        assertEquals("createRole", role.get("command").asText());
        assertEquals("vitalvault-device-" + DEVICE, role.get("rolename").asText());
        JsonNode client = commands.get(1);
        assertEquals("createClient", client.get("command").asText());
        assertEquals(DEVICE.toString(), client.get("username").asText());
        assertEquals(DEVICE.toString(), client.get("clientid").asText());
        assertEquals("s3cret", client.get("password").asText());
        assertEquals("vitalvault-device-" + DEVICE, client.get("roles").get(0).get("rolename").asText());
        commands.forEach(c -> assertEquals("c-1", c.get("correlationData").asText()));
    }

    @Test
    void aDeviceMayPublishOnlyItsReadingsAndReadOnlyItsReceiptsAndTheAuditCheckpoints() throws Exception {
        JsonNode acls = JSON.readTree(DynsecCommands.provision(DEVICE, "s", "c")).get("commands").get(0).get("acls");
        List<String> granted = new ArrayList<>();
        acls.forEach(a -> {
            assertTrue(a.get("allow").asBoolean());
            granted.add(a.get("acltype").asText() + " " + a.get("topic").asText());
        });
        assertEquals(List.of(
                "publishClientSend readings/" + DEVICE,
                "publishClientSend readings/" + DEVICE + "/json",
                "publishClientSend readings/" + DEVICE + "/cbor",
                "subscribeLiteral receipts/" + DEVICE,
                "publishClientReceive receipts/" + DEVICE,
                "subscribeLiteral vitalvault/audit/checkpoint",
                "publishClientReceive vitalvault/audit/checkpoint"), granted);
    }

    @Test
    void aCredentialWithQuotesCannotBreakOutOfItsJsonString() throws Exception {
        String hostile = "a\",\"roles\":[{\"rolename\":\"admin\"}],\"x\":\"";
        JsonNode client = JSON.readTree(DynsecCommands.provision(DEVICE, hostile, "c")).get("commands").get(1);
        assertEquals(hostile, client.get("password").asText());
        assertEquals(1, client.get("roles").size());
    }

    @Test
    void deprovisioningDeletesTheClientFirstThenItsRole() throws Exception {
        JsonNode commands = JSON.readTree(DynsecCommands.deprovision(DEVICE, "c-2")).get("commands");
        assertEquals("deleteClient", commands.get(0).get("command").asText());
        assertEquals(DEVICE.toString(), commands.get(0).get("username").asText());
        assertEquals("deleteRole", commands.get(1).get("command").asText());
        assertEquals("vitalvault-device-" + DEVICE, commands.get(1).get("rolename").asText());
    }

    @Test
    void aReplyCountsOnlyTheResponsesCarryingItsCorrelationData() {
        byte[] payload = ("{\"responses\":[{\"command\":\"createRole\",\"correlationData\":\"mine\"},"
                + "{\"command\":\"createClient\",\"correlationData\":\"someone-else\"},"
                + "{\"command\":\"createClient\",\"error\":\"Client already exists\",\"correlationData\":\"mine\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        DynsecReply reply = DynsecReply.parse(payload, "mine");
        assertTrue(reply.answers(2));
        assertEquals("createClient: Client already exists", reply.firstError());
        assertFalse(DynsecReply.parse(payload, "other").answers(2));
    }

    @Test
    void deletingWhatIsAlreadyGoneIsSuccessButOtherErrorsAreNot() {
        byte[] gone = ("{\"responses\":[{\"command\":\"deleteClient\",\"error\":\"Client not found\",\"correlationData\":\"c\"},"
                + "{\"command\":\"deleteRole\",\"error\":\"Role not found\",\"correlationData\":\"c\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        assertNull(DynsecReply.parse(gone, "c").firstErrorOfDeletion());
        byte[] denied = ("{\"responses\":[{\"command\":\"deleteClient\",\"error\":\"Permission denied\",\"correlationData\":\"c\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals("deleteClient: Permission denied", DynsecReply.parse(denied, "c").firstErrorOfDeletion());
    }

    @Test
    void somethingThatIsNotAResponseAnswersNothing() {
        assertFalse(DynsecReply.parse("not json".getBytes(StandardCharsets.UTF_8), "c").answers(1));
        assertFalse(DynsecReply.parse("{}".getBytes(StandardCharsets.UTF_8), "c").answers(1));
    }
}
