package dev.pyro.cli;

import java.util.Properties;

/**
 * Names the JDK's own {@link java.nio.channels.spi.SelectorProvider} before the first channel
 * opens. Unnamed, {@code SelectorProvider.provider()} first looks for a provider as a service on
 * the class path, which opens pyro's jar and reads its directory (~7,000 entries): ~12 ms of
 * every CLI call that talks to an agent, for a look-up that finds nothing, since pyro ships no
 * provider (docs/performance.md, "CLI start-up"). Named, the JDK loads its own class from
 * {@code java.base} and makes the same provider it would have fallen back to.
 */
final class JdkSelectorProvider {
    /** The JDK's property for the provider's class name (see {@code SelectorProvider.provider()}). */
    static final String PROPERTY = "java.nio.channels.spi.SelectorProvider";
    /** The JDK's provider on Linux, the one {@code sun.nio.ch.DefaultSelectorProvider} makes there. */
    static final String LINUX = "sun.nio.ch.EPollSelectorProvider";

    private JdkSelectorProvider() {
    }

    /**
     * Sets {@link #PROPERTY} to {@link #LINUX} in {@code properties} on Linux, when this JDK has
     * that class and nobody named a provider already; returns whether it did.
     */
    static boolean name(Properties properties) {
        if (properties.getProperty(PROPERTY) != null || !"Linux".equals(properties.getProperty("os.name"))) {
            return false;
        }
        try {
            // The boot loader: java.base's own class, found without a look at the class path.
            Class.forName(LINUX, false, null);
        } catch (ClassNotFoundException e) {
            return false; // another JDK: its own default, found the usual way
        }
        properties.setProperty(PROPERTY, LINUX);
        return true;
    }
}
