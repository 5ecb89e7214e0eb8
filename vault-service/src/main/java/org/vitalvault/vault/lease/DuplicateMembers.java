package org.vitalvault.vault.lease;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * Finds a member name given twice in one JSON object, anywhere in a document (issue 13). RFC 8259
 * only says names SHOULD be unique and parsers differ on which of two wins, so a signed payload
 * that names a member twice does not say one thing: the vault refuses it rather than pick one.
 * Names are compared as decoded ({@code "\u0065psilon"} is {@code epsilon}).
 *
 * <p>A pass of its own over the tokens (not Jackson's {@code STRICT_DUPLICATE_DETECTION}, which the
 * binding reader also enables as a second guard): it yields the member's path in the client's words
 * ({@code dataWindow.from}, {@code regions[1].code}) without depending on a library's message text.
 */
final class DuplicateMembers {

    private DuplicateMembers() {
    }

    /** One level of nesting: an object's names so far and its current member, or an array's index. */
    private static final class Level {
        final Set<String> names;
        String name;
        int index = -1;

        Level(boolean object) {
            names = object ? new HashSet<>() : null;
        }
    }

    /**
     * The path of the first member named a second time in its object, or empty when every name is
     * unique — and when {@code json} is not JSON at all (the binding reports that in its own words).
     */
    static Optional<String> first(JsonFactory factory, byte[] json) {
        Deque<Level> levels = new ArrayDeque<>();
        try (JsonParser p = factory.createParser(json)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                Level top = levels.peek();
                if (t == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    if (!top.names.add(name)) {
                        top.name = name;
                        return Optional.of(path(levels));
                    }
                    top.name = name;
                    continue;
                }
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    levels.pop();
                    continue;
                }
                if (top != null && top.names == null) {
                    top.index++;
                }
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    levels.push(new Level(t == JsonToken.START_OBJECT));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static String path(Deque<Level> levels) {
        StringBuilder path = new StringBuilder();
        for (Iterator<Level> outermostFirst = levels.descendingIterator(); outermostFirst.hasNext(); ) {
            Level level = outermostFirst.next();
            if (level.names != null) {
                path.append(path.isEmpty() ? "" : ".").append(level.name);
            } else {
                path.append('[').append(level.index).append(']');
            }
        }
        return path.toString();
    }
}
