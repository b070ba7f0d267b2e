package dev.destinations.testkit.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Every contract violation any sandbox of this JVM recorded, so that the test that sent the request fails
 * ({@link ContractCheckExtension}, auto-registered for every JUnit test of the build) and a tool can count them.
 *
 * <p>Two system properties (or environment variables) change what happens:
 * <ul>
 *   <li>{@code contracts.mode} / {@code CONTRACTS_MODE}: {@code enforce} (default) answers a breaking request with
 *       the vendor's 400 and fails the test; {@code report} serves it as if it were valid and fails nothing, for
 *       counting what the suite would break;</li>
 *   <li>{@code contracts.report} / {@code CONTRACTS_REPORT}: a file each violation is appended to, one tab-separated
 *       line: test, vendor, endpoint, field, rule, source.</li>
 * </ul>
 */
public final class ContractViolations {
    private static final List<Violation> ALL = new ArrayList<>();
    private static volatile String currentTest = "(no test)";

    private ContractViolations() {}

    /** Whether a breaking request is answered with the vendor's 400 (enforce) or served anyway (report). */
    public static boolean enforcing() {
        return !"report".equalsIgnoreCase(setting("contracts.mode", "CONTRACTS_MODE"));
    }

    static void record(Violation v) {
        synchronized (ALL) {
            ALL.add(v);
        }
        String file = setting("contracts.report", "CONTRACTS_REPORT");
        if (file != null && !file.isBlank()) {
            String line = String.join("\t", currentTest, v.vendor(), v.endpoint(), v.field().replaceAll("\\[\\d+]", "[]"), v.rule(), v.source()) + "\n";
            try {
                synchronized (ContractViolations.class) {
                    Files.writeString(Path.of(file), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot append to the contract report " + file, e);
            }
        }
    }

    /** Forgets these (a test that provokes violations on purpose has asserted them). */
    static void forget(List<Violation> taken) {
        synchronized (ALL) {
            taken.forEach(t -> ALL.removeIf(v -> v == t));
        }
    }

    /** A position to read new violations from. */
    public static int mark() {
        synchronized (ALL) {
            return ALL.size();
        }
    }

    /** The violations recorded since {@code mark} (and not taken by a test). */
    public static List<Violation> since(int mark) {
        synchronized (ALL) {
            return mark >= ALL.size() ? List.of() : List.copyOf(ALL.subList(Math.max(0, mark), ALL.size()));
        }
    }

    static void currentTest(String name) {
        currentTest = name;
    }

    private static String setting(String property, String env) {
        String v = System.getProperty(property);
        return v != null ? v : System.getenv(env);
    }
}
