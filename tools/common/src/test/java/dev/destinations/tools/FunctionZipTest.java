package dev.destinations.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** Unpacking a function zip the way bin/local invoke does, into folders named the way its callers name them. */
class FunctionZipTest {
    @Test
    void relativeFolders_withDotSegments_unpackDirectoryEntries() throws IOException {
        Path zip = zip("dev/", "dev/App.class", "lib/", "lib/a.jar");
        // bin/local runs from the repository root, so its folders start with "." (the bug: "zip entry outside the folder: dev/")
        for (Path folder : new Path[] {Path.of(".", "target", "zip-test-dot"), Path.of("..", "common", "target", "zip-test-dotdot")}) {
            Path dir = FunctionZip.unzip(zip, folder);

            assertThat(dir.resolve("dev/App.class")).exists();
            assertThat(dir.resolve("lib/a.jar")).exists();
        }
    }

    @Test
    void entriesThatClimbOutOfTheFolder_areRefused() throws IOException {
        Path zip = zip("../escaped.txt");

        assertThatThrownBy(() -> FunctionZip.unzip(zip, Path.of(".", "target", "zip-test-escape")))
                .hasMessageContaining("zip entry outside the folder: ../escaped.txt");
        assertThat(Path.of("escaped.txt")).doesNotExist();
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    private static Path zip(String... entries) throws IOException {
        Path zip = Files.createTempFile("function", ".zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (String name : entries) {
                out.putNextEntry(new ZipEntry(name));
                if (!name.endsWith("/")) out.write(1);
                out.closeEntry();
            }
        }
        return zip;
    }
}
