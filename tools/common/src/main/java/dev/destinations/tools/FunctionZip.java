package dev.destinations.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** A function's deployment zip, unpacked the way Lambda does (classes at the root, jars in lib/). */
public final class FunctionZip {
    private FunctionZip() {}

    /** Unpacks {@code zip} into {@code dir}, emptied first; refuses entries that would land outside it. */
    public static Path unzip(Path zip, Path folder) throws IOException {
        // absolute and normalized, so that the check below also holds for a relative folder such as "." or ".."
        Path dir = folder.toAbsolutePath().normalize();
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                Path target = dir.resolve(e.getName()).normalize();
                if (!target.startsWith(dir)) throw new IOException("zip entry outside the folder: " + e.getName());
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target);
                }
            }
        }
        return dir;
    }
}
