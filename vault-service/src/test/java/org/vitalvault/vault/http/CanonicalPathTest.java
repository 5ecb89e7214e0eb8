package org.vitalvault.vault.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which raw request paths count as canonical: only ones that name their resource literally. */
class CanonicalPathTest {

    @ParameterizedTest
    @ValueSource(strings = {"/", "/owners", "/owners/me", "/owners/3f1c2a9e-0b7d-4c55-9a41-2f0e8c6d1b23/devices",
            "/owners/3f1c2a9e-0b7d-4c55-9a41-2f0e8c6d1b23/readings/latest", "/q/health/ready", "/vault/keys",
            "/coops/a%20b", "/q/swagger-ui/", "/owners/x/", "/files/r%C3%A9sum%C3%A9", "/a.b/c..d/...", "/~x"})
    void literalPathsAreCanonical(String path) {
        assertEquals("", CanonicalPath.violation(path).orElse(""), path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/owners/x/devices/%2e%2e", "/owners/x/devices/%2E%2E", "/owners/x/devices/.%2e",
            "/owners/x/devices/%2e.", "/owners/x/devices/..", "/owners/x/devices/.", "/owners/x/%2e/devices",
            "/owners/x/grants/%2e%2e/", "/owners//x", "//owners", "/owners/x%2fdevices", "/owners/x%2Fdevices",
            "/owners/x%5cdevices", "/owners/x\\devices", "/owners/x;devices", "/owners/x/devices/..;a=b",
            "/owners/x%3b", "/owners/x%00", "/owners/%6de", "/owners/%", "/owners/%2", "/owners/%zz",
            "owners/x", ""})
    void trickPathsAreRefused(String path) {
        assertTrue(CanonicalPath.violation(path).isPresent(), path);
    }
}
