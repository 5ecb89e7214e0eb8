package org.vitalvault.vault.query;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of a query answer: the {@link QueryAnswer}'s members as before, so existing clients read
 * it unchanged, plus one member {@code signed}, the compact JWS of the {@link AnswerDocument} whose
 * {@code answer} is those same members (decision 025).
 */
public record SignedQueryAnswer(@JsonUnwrapped QueryAnswer answer,
                                @Schema(description = "The answer signed by the vault: a compact JWS (EdDSA, typ "
                                        + AnswerDocument.JWS_TYPE + ") whose payload is an AnswerDocument; its `answer` "
                                        + "equals this body without `signed`. Check offline with deploy/verify-answer.sh")
                                String signed) {
}
