package dev.pyro.guest;

import tools.jackson.databind.node.ObjectNode;

/**
 * What to OPEN: the operation's name (for messages), its request payload, and the channels it
 * uses: {@code out}/{@code err} agent→host, {@code in} host→agent (protocol §3).
 */
record StreamSpec(String operation, byte[] payload, boolean out, boolean err, boolean in) {

    /** Request/response only: no channels, the RESULT is the answer. */
    static StreamSpec request(ObjectNode req) {
        return new StreamSpec(opName(req), Json.bytes(req), false, false, false);
    }

    /** The agent streams bytes on channel 1 (export, list, manifest). */
    static StreamSpec download(ObjectNode req) {
        return new StreamSpec(opName(req), Json.bytes(req), true, false, false);
    }

    /** The host streams bytes on channel 0 (import, writes). */
    static StreamSpec upload(ObjectNode req) {
        return new StreamSpec(opName(req), Json.bytes(req), false, false, true);
    }

    /** Both directions on channels 1 and 0 (subscriptions). */
    static StreamSpec duplex(ObjectNode req) {
        return new StreamSpec(opName(req), Json.bytes(req), true, false, true);
    }

    /** An exec ({@link ExecRequestJson}'s payload): stdout and stderr, stdin only when the command reads it. */
    static StreamSpec exec(byte[] payload, boolean stdin) {
        return new StreamSpec("exec", payload, true, true, stdin);
    }

    private static String opName(ObjectNode req) {
        return req.get("op").stringValue();
    }
}
