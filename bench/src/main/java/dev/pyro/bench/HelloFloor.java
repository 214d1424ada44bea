package dev.pyro.bench;

/** The floor of {@link LauncherStartupBench}: the least a JVM start can do. */
public final class HelloFloor {
    private HelloFloor() {
    }

    public static void main(String[] args) {
        System.out.println("hello");
    }
}
