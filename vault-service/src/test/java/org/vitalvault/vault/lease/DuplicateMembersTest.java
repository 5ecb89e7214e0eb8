package org.vitalvault.vault.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A member named twice in one object is found, wherever it is, and named by its path. */
class DuplicateMembersTest {

    private static final JsonFactory FACTORY = new JsonFactory();

    @Test
    void aTopLevelMemberGivenTwiceIsNamed() {
        assertEquals(Optional.of("epsilon"), first("{\"epsilon\":0.01,\"kinds\":[],\"epsilon\":5}"));
    }

    @Test
    void aNestedMemberIsNamedByItsDottedPathAndArrayIndex() {
        assertEquals(Optional.of("dataWindow.from"), first("{\"a\":{},\"dataWindow\":{\"from\":1,\"from\":2}}"));
        assertEquals(Optional.of("regions[2].code"),
                first("{\"regions\":[\"DE\",[1,{\"code\":1}],{\"code\":\"FR\",\"code\":\"DE\"}]}"));
    }

    @Test
    void anEscapedSpellingIsTheSameName() {
        assertEquals(Optional.of("epsilon"), first("{\"epsilon\":1,\"\\u0065psilon\":2}"));
    }

    @Test
    void theSameNameInSiblingObjectsOrAtAnotherLevelIsNoDuplicate() {
        assertEquals(Optional.empty(), first("{\"from\":{\"from\":1},\"w\":[{\"from\":1},{\"from\":2}],\"x\":{\"from\":3}}"));
    }

    @Test
    void somethingThatIsNotJsonIsLeftToTheBinding() {
        assertEquals(Optional.empty(), first("{\"requestId\": \"not closed"));
        assertEquals(Optional.empty(), first("[1,2"));
    }

    private static Optional<String> first(String json) {
        return DuplicateMembers.first(FACTORY, json.getBytes(StandardCharsets.UTF_8));
    }
}
