package dev.destinations.benchmarks;

import dev.destinations.tools.Functions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The benchmark cases, derived, not listed: every {@code <prefix>_<name>.json} of {@code ../shared/bench} and of this
 * module's {@code cases/} resources whose prefix is a function's slug with {@code -} as {@code _} (the functions
 * found by their descriptors). {@code main} prints them comma-separated, for bin/bench's {@code -p caseName=}.
 */
public final class BenchCases {
    private BenchCases() {}

    /** The function a case name belongs to. */
    static Optional<Functions.Spec> functionOf(String caseName) {
        return Functions.ALL.stream().filter(f -> caseName.startsWith(prefix(f))).max(Comparator.comparingInt(f -> prefix(f).length()));
    }

    private static String prefix(Functions.Spec f) {
        return f.slug().replace('-', '_') + "_";
    }

    /** Every case, in the order of the functions, then by name. */
    static List<String> all(Path sharedBenchDir) {
        TreeSet<String> names = new TreeSet<>();
        names.addAll(jsonNames(sharedBenchDir));
        names.addAll(jsonNames(resourceDir()));
        List<String> cases = new ArrayList<>();
        for (Functions.Spec f : Functions.ALL) {
            for (String n : names) if (functionOf(n).filter(f::equals).isPresent()) cases.add(n);
        }
        return cases;
    }

    private static Path resourceDir() {
        URL url = BenchCases.class.getResource("/cases");
        if (url == null || !url.getProtocol().equals("file")) throw new IllegalStateException("cases/ is not a folder on the class path: " + url);
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> jsonNames(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Prints every case, comma-separated. Argument: the shared bench folder (default ../shared/bench). */
    public static void main(String[] args) {
        System.out.println(String.join(",", all(Path.of(args.length > 0 ? args[0] : "../shared/bench"))));
    }
}
