package dev.pyro.guest;

import java.util.List;

/**
 * What the agent said about itself in its HELLO reply (protocol §4).
 *
 * @param protocol     protocol version (1)
 * @param agentVersion the agent's version string
 * @param pid          the agent's process id (1 in a guest)
 * @param mode         {@code guest} or {@code dev}
 * @param capabilities operations it supports
 * @param maxFrame     its largest accepted payload
 * @param window       its initial flow-control window
 * @param bootMs       guest {@code CLOCK_BOOTTIME} in ms when the agent started
 * @param attach       how the agent noticed this connection ({@link AttachNotice#UNKNOWN} if not said)
 */
public record AgentInfo(int protocol, String agentVersion, long pid, String mode, List<String> capabilities,
        long maxFrame, long window, long bootMs, AttachNotice attach) {

    /** Copies the list; see the record description. */
    public AgentInfo {
        capabilities = List.copyOf(capabilities);
    }

    /** True when the agent lists {@code op} among its capabilities. */
    public boolean supports(String op) {
        return capabilities.contains(op);
    }
}
