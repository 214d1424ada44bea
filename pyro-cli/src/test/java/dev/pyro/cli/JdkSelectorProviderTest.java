package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.spi.SelectorProvider;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class JdkSelectorProviderTest {
    @Test
    void onLinuxTheJdksOwnProviderIsNamed() {
        Properties p = props("Linux");
        assertThat(JdkSelectorProvider.name(p)).isTrue();
        assertThat(p.getProperty(JdkSelectorProvider.PROPERTY)).isEqualTo(JdkSelectorProvider.LINUX);
        // the class named is the one the JDK falls back to when nothing is named (this JVM named nothing)
        assertThat(SelectorProvider.provider().getClass().getName()).isEqualTo(JdkSelectorProvider.LINUX);
    }

    @Test
    void aProviderSomebodyNamedIsKept() {
        Properties p = props("Linux");
        p.setProperty(JdkSelectorProvider.PROPERTY, "com.example.TheirProvider");
        assertThat(JdkSelectorProvider.name(p)).isFalse();
        assertThat(p.getProperty(JdkSelectorProvider.PROPERTY)).isEqualTo("com.example.TheirProvider");
    }

    @Test
    void elsewhereNothingIsNamed() {
        for (String os : new String[] {"Mac OS X", "Windows 11", "FreeBSD"}) {
            Properties p = props(os);
            assertThat(JdkSelectorProvider.name(p)).as(os).isFalse();
            assertThat(p.getProperty(JdkSelectorProvider.PROPERTY)).as(os).isNull();
        }
        Properties none = new Properties();
        assertThat(JdkSelectorProvider.name(none)).isFalse();
        assertThat(none).isEmpty();
    }

    private static Properties props(String os) {
        Properties p = new Properties();
        p.setProperty("os.name", os);
        return p;
    }
}
