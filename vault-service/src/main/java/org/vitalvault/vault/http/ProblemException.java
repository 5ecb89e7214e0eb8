package org.vitalvault.vault.http;

import java.util.List;

/** Thrown by services to answer with a specific problem; mapped by {@link ProblemMappers}. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String code;
    private final String title;
    private final List<Problem.FieldError> errors;
    private final List<Problem.ReasonItem> reasons;

    public ProblemException(int status, String code, String title, String detail) {
        this(status, code, title, detail, null);
    }

    public ProblemException(int status, String code, String title, String detail, List<Problem.FieldError> errors) {
        this(status, code, title, detail, errors, null);
    }

    private ProblemException(int status, String code, String title, String detail, List<Problem.FieldError> errors,
                             List<Problem.ReasonItem> reasons) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
        this.errors = errors;
        this.reasons = reasons;
    }

    /** A refusal with the policy engine's stable reason codes (a denied lease, a refused query). */
    public static ProblemException refused(int status, String code, String title, String detail,
                                           List<Problem.ReasonItem> reasons) {
        return new ProblemException(status, code, title, detail, null, List.copyOf(reasons));
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(404, "not-found", "Not found", what + " does not exist");
    }

    public static ProblemException badField(String field, String message) {
        return new ProblemException(400, "invalid-input", "Invalid input", field + ": " + message,
                List.of(new Problem.FieldError(field, message)));
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    public List<Problem.ReasonItem> reasons() {
        return reasons;
    }
}
