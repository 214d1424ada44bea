package dev.pyro;

import java.util.Collection;

/**
 * A workspace's services counted by state, as {@link Pyro#statusWorkspace} reports them.
 *
 * @param starting waiting for their readiness check
 * @param ready    their check passed
 * @param running  started without a check
 * @param exited   ended with code 0
 * @param failed   ended otherwise, or never got ready
 * @param stopped  stopped
 */
public record ServiceCounts(int starting, int ready, int running, int exited, int failed, int stopped) {

    /** No services. */
    public static final ServiceCounts NONE = new ServiceCounts(0, 0, 0, 0, 0, 0);

    /** The counts of these services. */
    public static ServiceCounts of(Collection<ServiceStatus> services) {
        int[] n = new int[6];
        for (ServiceStatus s : services) {
            switch (s.state()) {
                case "starting" -> n[0]++;
                case "ready" -> n[1]++;
                case "running" -> n[2]++;
                case "exited" -> n[3]++;
                case "failed" -> n[4]++;
                case "stopped" -> n[5]++;
                default -> throw new IllegalArgumentException("unknown service state " + s.state());
            }
        }
        return new ServiceCounts(n[0], n[1], n[2], n[3], n[4], n[5]);
    }

    /** Services whose process runs. */
    public int live() {
        return starting + ready + running;
    }

    /** All services, live or ended. */
    public int total() {
        return live() + exited + failed + stopped;
    }
}
