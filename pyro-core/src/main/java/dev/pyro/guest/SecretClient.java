package dev.pyro.guest;

import tools.jackson.databind.node.ObjectNode;
import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The agent's secret store (protocol §13, capability {@code secrets}): {@link #put} replaces
 * the whole set the guest keeps on its {@code /run} tmpfs. Commands see a value only through
 * the {@code secret_env} of exec, shell and service requests, and the agent redacts every value
 * from the shell and service output it keeps. Obtain it from {@link AgentConnection#secrets()}.
 */
public final class SecretClient {
    private final AgentConnection connection;

    SecretClient(AgentConnection connection) {
        this.connection = connection;
    }

    /**
     * Replaces the guest's secrets with {@code values} (name to value; values travel as
     * base64 so any text survives the JSON unchanged).
     *
     * @throws PyroException {@link ErrorCode#AGENT_PROTOCOL_ERROR} when the agent has no secret store
     *                       or refuses the set; its message never holds a value
     */
    public void put(Map<String, String> values) {
        connection.requireCapability("secrets", "secrets");
        ObjectNode req = Json.op("secrets_put");
        ObjectNode set = req.putObject("secrets");
        values.forEach((name, value) -> set.put(name,
                Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
        connection.request(req);
    }

    /** Adds {@code secret_env} (secret name to variable) to an exec, shell or service request. */
    static void addSecretEnv(ObjectNode req, Map<String, String> secretEnv) {
        if (!secretEnv.isEmpty()) {
            ObjectNode m = req.putObject("secret_env");
            secretEnv.forEach(m::put);
        }
    }
}
