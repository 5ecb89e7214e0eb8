package org.vitalvault.vault.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem body. {@code type} is a stable URI per kind of problem (clients switch on it);
 * {@code detail} is a human sentence that never holds a health value, a key or a stack trace.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance,
                      List<FieldError> errors, List<ReasonItem> reasons) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One invalid input field. */
    public record FieldError(String field, String message) {
    }

    /** One reason a lease or query was refused: a stable code of the policy engine and a sentence. */
    public record ReasonItem(String code, String message) {
    }
}
