package org.vitalvault.vault.http;

import java.util.Optional;

/**
 * Decides whether a request path, exactly as it came off the wire, is in canonical form. The HTTP
 * stack resolves dot segments (also percent-encoded ones) before routing, so
 * {@code DELETE /owners/{id}/devices/%2e%2e} would reach {@code DELETE /owners/{id}}; a request
 * must name the resource it acts on literally, or be refused before any routing happens.
 *
 * <p>Canonical means: starts with {@code /}; no empty segment (no {@code //}; a trailing
 * {@code /} is allowed); no segment that is, or decodes to, {@code .} or {@code ..}; no
 * percent-escape of a character that needs none (an unreserved character, RFC 3986 §2.3), no
 * malformed escape; no escaped or literal {@code /}, {@code \}, {@code ;} (matrix parameters), NUL
 * or other control characters inside a segment. Every id this API uses (UUIDs, metric codes,
 * purpose codes) is canonical, so no honest client is refused.
 */
public final class CanonicalPath {

    private CanonicalPath() {
    }

    /**
     * Why {@code rawPath} (the request target without its query string) is not canonical, or empty
     * when it is.
     */
    public static Optional<String> violation(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return Optional.of("the path must start with /");
        }
        if (rawPath.equals("/")) {
            return Optional.empty();
        }
        int start = 1;
        while (start <= rawPath.length()) {
            int end = rawPath.indexOf('/', start);
            if (end < 0) {
                end = rawPath.length();
            }
            Optional<String> bad = segmentViolation(rawPath, start, end);
            if (bad.isPresent()) {
                return bad;
            }
            start = end + 1;
        }
        return Optional.empty();
    }

    private static Optional<String> segmentViolation(String path, int start, int end) {
        if (start == end) {
            // A trailing slash names a directory (Swagger UI's /q/swagger-ui/); only // is ambiguous.
            return end == path.length() ? Optional.empty() : Optional.of("the path has an empty segment (//)");
        }
        StringBuilder decoded = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            char c = path.charAt(i);
            if (c == '%') {
                if (i + 2 >= end) {
                    return Optional.of("the path has a malformed percent-escape");
                }
                int hi = Character.digit(path.charAt(i + 1), 16);
                int lo = Character.digit(path.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return Optional.of("the path has a malformed percent-escape");
                }
                char d = (char) (hi * 16 + lo);
                if (unreserved(d)) {
                    return Optional.of("the path escapes a character that needs no escape");
                }
                if (forbidden(d)) {
                    return Optional.of("the path has an escaped /, \\, ; or control character");
                }
                decoded.append(d);
                i += 2;
            } else if (forbidden(c)) {
                return Optional.of("the path has a \\, ; or control character");
            } else {
                decoded.append(c);
            }
        }
        String s = decoded.toString();
        if (s.equals(".") || s.equals("..")) {
            return Optional.of("the path has a dot segment");
        }
        return Optional.empty();
    }

    private static boolean unreserved(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static boolean forbidden(char c) {
        return c == '/' || c == '\\' || c == ';' || c < 0x20 || c == 0x7f;
    }
}
