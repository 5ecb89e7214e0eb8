package org.vitalvault.vault.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Puts the refusals every operation can answer into the OpenAPI document ({@code /q/openapi}), each
 * as {@value Problem#MEDIA_TYPE} with the {@code Problem} schema: 400 when it takes input, 401 and
 * 403 when it needs a bearer token, 404 when its path names a resource, 503 when storage is away.
 * One filter rather than the same five annotations on every method: {@link ProblemMappers} answers
 * these for every resource alike, so the document says so in one place too. Refusals particular to
 * one operation (a refused lease, a conflict) are annotated on that operation and get the same
 * content here.
 */
public class ProblemResponses implements OASFilter {

    static final String SCHEMA = "Problem";
    static final String BEARER = "bearer";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema(SCHEMA, problemSchema());
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            for (Operation op : path.getValue().getOperations().values()) {
                addProblems(path.getKey(), op);
            }
        }
    }

    private static void addProblems(String path, Operation op) {
        if (op.getResponses() == null) {
            op.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = op.getResponses();
        boolean input = (op.getParameters() != null && !op.getParameters().isEmpty()) || op.getRequestBody() != null;
        boolean secured = op.getSecurity() != null && !op.getSecurity().isEmpty();
        Map<String, String> generic = new LinkedHashMap<>();
        if (input) {
            generic.put("400", "Invalid input: `errors` names each invalid field");
        }
        if (secured) {
            generic.put("401", "No valid bearer token");
            generic.put("403", "The token's role or subject may not do this");
        }
        if (path.contains("{")) {
            generic.put("404", "The resource does not exist (or is not the caller's)");
        }
        generic.put("503", "Storage is unavailable; retry later");
        generic.forEach((code, description) -> {
            if (!responses.hasAPIResponse(code)) {
                responses.addAPIResponse(code, OASFactory.createAPIResponse().description(description));
            }
        });
        for (Map.Entry<String, APIResponse> r : responses.getAPIResponses().entrySet()) {
            if (r.getKey().startsWith("4") || r.getKey().startsWith("5")) {
                r.getValue().setContent(problemContent());
            }
        }
    }

    private static Content problemContent() {
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(SCHEMA)));
    }

    private static Schema problemSchema() {
        Schema string = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        Schema fieldError = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .addProperty("field", string).addProperty("message", string);
        Schema reason = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .addProperty("code", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("a stable reason code of the policy engine, e.g. NO_CONSENT"))
                .addProperty("message", string);
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("RFC 9457 problem details; clients switch on `type`")
                .required(List.of("type", "title", "status"))
                .addProperty("type", OASFactory.createSchema().addType(Schema.SchemaType.STRING).format("uri")
                        .example("https://vitalvault.org/problems/invalid-input"))
                .addProperty("title", string)
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
                .addProperty("detail", string)
                .addProperty("instance", string)
                .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(fieldError))
                .addProperty("reasons", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(reason));
    }
}
