package org.vitalvault.vault.notify;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.vitalvault.vault.auth.CallerOwner;
import org.vitalvault.vault.http.PageParams;
import org.vitalvault.vault.refusal.InvalidInput;

/**
 * The owner's notification feed (docs/decisions/045): what happened to their data and account, newest
 * first, and which of it they have seen. Another owner's id answers 404 like an unknown one; a notice
 * id of another owner's feed marks nothing.
 */
@Path("/owners/{ownerId}/notifications")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("owner")
public class NotificationResource {

    @Inject
    CallerOwner caller;

    @Inject
    NoticeFeed feed;

    /**
     * One notification.
     *
     * @param kind what it is about (DATA_USE, CONSENT_CHANGE, CAREGIVER_CHANGE, CAREGIVER_READ, BREAK_GLASS, DEVICE, ACCOUNT)
     * @param text one plain-language sentence
     */
    public record Notification(long id, @Schema(implementation = NoticeKind.class) String kind, String text,
                               Instant createdAt, boolean read) {
    }

    /** A number of notifications. */
    public record Count(long count) {
    }

    /**
     * Marks every notification with an id up to {@code upTo} read. Read as a JSON node so that any bad
     * value (text, a fraction, beyond a 64-bit id) is a 400 naming {@code upTo}.
     */
    public record MarkRead(@Schema(type = SchemaType.INTEGER, format = "int64", required = true, minimum = "1", example = "42")
                           JsonNode upTo) {
    }

    @Operation(summary = "The owner's notifications, newest first",
            description = "Paged with limit and offset over the newest-first order; unread=true lists unread ones only.")
    @GET
    public List<Notification> list(@PathParam("ownerId") UUID ownerId,
                                   @Parameter(description = "true: unread notifications only",
                                           schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false"))
                                   @QueryParam("unread") String unread,
                                   @BeanParam PageParams page) {
        caller.require(ownerId);
        boolean unreadOnly = flag("unread", unread);
        int limit = page.limit();
        int offset = page.offset();
        return feed.page(ownerId, unreadOnly, limit, offset).stream()
                .map(e -> new Notification(e.id(), e.kind().name(), e.text(), e.createdAt(), e.read())).toList();
    }

    @Operation(summary = "How many of the owner's notifications are unread")
    @GET
    @Path("/unread")
    public Count unread(@PathParam("ownerId") UUID ownerId) {
        caller.require(ownerId);
        return new Count(feed.unread(ownerId));
    }

    @Operation(summary = "Mark the owner's notifications up to an id read; returns how many stay unread")
    @POST
    @Path("/read")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    public Count markRead(@PathParam("ownerId") UUID ownerId, MarkRead body) {
        caller.require(ownerId);
        return new Count(feed.markRead(ownerId, upTo(body)));
    }

    private static long upTo(MarkRead body) {
        JsonNode upTo = body == null ? null : body.upTo();
        if (upTo == null || upTo.isNull() || upTo.isMissingNode()) {
            throw InvalidInput.field("upTo", "must be given: the id of the newest notification to mark read");
        }
        if (!upTo.isIntegralNumber() || !upTo.canConvertToLong() || upTo.longValue() < 1) {
            throw InvalidInput.field("upTo", "must be a notification id, a whole number from 1");
        }
        return upTo.longValue();
    }

    private static boolean flag(String name, String given) {
        if (given == null || given.isBlank()) {
            return false;
        }
        return switch (given.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw InvalidInput.field(name, "must be true or false");
        };
    }
}
