package org.vitalvault.vault.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A response of the dynamic-security plugin, e.g.
 * {@code {"responses":[{"command":"createRole","correlationData":"…"},{"command":"createClient","error":"Client already exists","correlationData":"…"}]}}:
 * one entry per command, with {@code error} when the command failed. Pure.
 */
public record DynsecReply(List<Outcome> outcomes) {

    /**
     * The plugin's words for "there is nothing to delete", which is what a deletion wants: a
     * repeated unpairing, or the clean-up of a pairing whose creation never arrived.
     */
    private static final Set<String> ALREADY_GONE = Set.of("Client not found", "Role not found");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One command's outcome; {@code error} is null when it succeeded. */
    public record Outcome(String command, String error) {
        public boolean succeeded() {
            return error == null;
        }
    }

    /**
     * The outcomes in {@code payload} of the commands sent with {@code correlation}; empty when the
     * payload answers someone else's commands (or is not a response at all).
     */
    public static DynsecReply parse(byte[] payload, String correlation) {
        List<Outcome> outcomes = new ArrayList<>();
        try {
            JsonNode responses = JSON.readTree(payload).path("responses");
            for (JsonNode r : responses) {
                if (correlation.equals(r.path("correlationData").asText(null))) {
                    outcomes.add(new Outcome(r.path("command").asText(""),
                            r.hasNonNull("error") ? r.get("error").asText() : null));
                }
            }
        } catch (IOException notJson) {
            // Not ours to read: only responses matter, and this is none.
        }
        return new DynsecReply(List.copyOf(outcomes));
    }

    /** Whether this is the answer to a request of {@code commands} commands. */
    public boolean answers(int commands) {
        return outcomes.size() == commands;
    }

    /** The first error, or null when every command succeeded. */
    public String firstError() {
        return outcomes.stream().filter(o -> !o.succeeded()).map(o -> o.command() + ": " + o.error())
                .findFirst().orElse(null);
    }

    /** The first error other than "not found", or null: what a deletion counts as failed. */
    public String firstErrorOfDeletion() {
        return outcomes.stream().filter(o -> !o.succeeded() && !ALREADY_GONE.contains(o.error()))
                .map(o -> o.command() + ": " + o.error()).findFirst().orElse(null);
    }
}
