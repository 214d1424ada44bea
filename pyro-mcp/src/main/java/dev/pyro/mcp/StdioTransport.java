package dev.pyro.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.ProtocolVersions;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * The SDK's stdio transport, advertising every protocol version the SDK implements. SDK
 * 1.1.x's stdio provider names only {@code 2024-11-05} (modelcontextprotocol/java-sdk#751,
 * fixed in later releases), which makes newer clients fall back to a revision without
 * structured tool results; stdio framing is the same in every revision, so the full list is
 * correct here, as the SDK's streamable HTTP provider already reports it.
 */
final class StdioTransport extends StdioServerTransportProvider {
    StdioTransport(McpJsonMapper mapper, InputStream in, OutputStream out) {
        super(mapper, in, out);
    }

    @Override
    public List<String> protocolVersions() {
        return List.of(ProtocolVersions.MCP_2024_11_05, ProtocolVersions.MCP_2025_03_26,
                ProtocolVersions.MCP_2025_06_18, ProtocolVersions.MCP_2025_11_25);
    }
}
