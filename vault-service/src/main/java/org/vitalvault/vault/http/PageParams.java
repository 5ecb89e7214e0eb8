package org.vitalvault.vault.http;

import jakarta.ws.rs.QueryParam;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.vitalvault.vault.refusal.InvalidInput;

/**
 * The paging of every list endpoint ({@code @BeanParam}): at most {@code limit} items (1 to
 * {@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}) after skipping {@code offset}, in the list's
 * stable order (oldest first). A page shorter than {@code limit} is the last. Taken as text so a
 * bad value is a 400 naming the parameter, not the 404 JAX-RS answers for an unconvertible one.
 */
public class PageParams {

    /** Items per page unless asked otherwise. */
    public static final int DEFAULT_LIMIT = 100;
    /** The most items one page holds. */
    public static final int MAX_LIMIT = 500;

    @QueryParam("limit")
    @Parameter(description = "items per page, 1 to " + MAX_LIMIT,
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "" + MAX_LIMIT, defaultValue = "" + DEFAULT_LIMIT))
    String limit;

    @QueryParam("offset")
    @Parameter(description = "items to skip", schema = @Schema(type = SchemaType.INTEGER, minimum = "0", defaultValue = "0"))
    String offset;

    /** The page of {@code all} these parameters select. */
    public <T> List<T> page(List<T> all) {
        int l = limit();
        int o = offset();
        if (o >= all.size()) {
            return List.of();
        }
        return all.subList(o, (int) Math.min(all.size(), (long) o + l));
    }

    /** Items asked for (400 naming {@code limit} when out of range): for a list cut in SQL. */
    public int limit() {
        return parse("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT);
    }

    /** Items to skip (400 naming {@code offset} when negative or not a number): for a list cut in SQL. */
    public int offset() {
        return parse("offset", offset, 0, 0, Integer.MAX_VALUE);
    }

    private static int parse(String name, String given, int absent, int min, int max) {
        if (given == null || given.isBlank()) {
            return absent;
        }
        try {
            int value = Integer.parseInt(given.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below, with the allowed range
        }
        throw InvalidInput.field(name, max == Integer.MAX_VALUE ? "must be a whole number from " + min
                : "must be a whole number from " + min + " to " + max);
    }
}
