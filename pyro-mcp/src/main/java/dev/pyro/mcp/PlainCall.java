package dev.pyro.mcp;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;

/**
 * A {@code tools/call} request the transport can serve without the SDK's routing: the tool's
 * name, its arguments and the progress token, read straight from the params the line filter
 * decoded (no conversion to the SDK's {@code CallToolRequest} through its mapper).
 */
record PlainCall(String name, Map<String, Object> arguments, Object progressToken) {
    /**
     * The call in {@code request}, or null when it is not a plain one (no params object, no
     * name, arguments or {@code _meta} that are not objects): the SDK answers those as before.
     * {@link JsonRpcLineFilter#paramsProblem} has refused most of them already.
     */
    @SuppressWarnings("unchecked") // JSON objects decode to maps with string keys
    static PlainCall of(McpSchema.JSONRPCRequest request) {
        if (!McpSchema.METHOD_TOOLS_CALL.equals(request.method()) || !(request.params() instanceof Map<?, ?> params)
                || !(params.get("name") instanceof String name)) {
            return null;
        }
        Object arguments = params.get("arguments");
        Object meta = params.get("_meta");
        if (arguments != null && !(arguments instanceof Map) || meta != null && !(meta instanceof Map)) {
            return null;
        }
        Object token = meta == null ? null : ((Map<?, ?>) meta).get("progressToken");
        return new PlainCall(name, (Map<String, Object>) arguments, token);
    }
}
