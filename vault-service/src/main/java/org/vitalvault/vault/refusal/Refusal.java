package org.vitalvault.vault.refusal;

import java.util.List;

/**
 * Why the vault will not do what was asked, in the domain's words: services and stores throw one of
 * the six kinds, and only the HTTP layer ({@code vault.http.ProblemMappers}) chooses the status and
 * writes the RFC 9457 problem. A refusal carries no HTTP type and no status.
 *
 * <p>{@link #code()} is a stable slug that becomes the problem's {@code type} (clients switch on it);
 * {@link #title()} is a short phrase; the message is a sentence for a person. None of them may hold
 * a health value, a key, a Java class name or a library's message: they are sent to the client.
 *
 * <p>Refusals skip the stack trace: they are answers, not faults, and are thrown on every
 * refused request.
 */
public abstract sealed class Refusal extends RuntimeException permits NotFound, Conflict, NotPermitted, InvalidInput, TooMany,
        Unavailable {

    private final String code;
    private final String title;
    private final List<Reason> reasons;

    Refusal(String code, String title, String detail, List<Reason> reasons) {
        super(detail, null, false, false);
        this.code = code;
        this.title = title;
        this.reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    /** Stable slug of this kind of refusal, e.g. {@code grant-revoked}. */
    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    /** The policy engine's reason codes behind a denied lease or a refused query; empty otherwise. */
    public List<Reason> reasons() {
        return reasons;
    }

    /** One reason a lease or query was refused: a stable code of the policy engine and a sentence. */
    public record Reason(String code, String message) {
    }
}
