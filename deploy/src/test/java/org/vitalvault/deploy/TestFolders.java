package org.vitalvault.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temp folders of the tests that start PostgreSQL, a broker or the whole stack (hundreds of MB each),
 * deleted when the test is done so that a CI run leaves nothing behind. {@code -DkeepTestFolders}
 * keeps them (and says where) to read a failed run's logs.
 */
public final class TestFolders {

    private static final boolean KEEP = Boolean.getBoolean("keepTestFolders");

    private TestFolders() {
    }

    /** A new folder in the temp folder, named {@code vitalvault-<name>…}. */
    public static Path create(String name) throws IOException {
        return Files.createTempDirectory("vitalvault-" + name);
    }

    /**
     * Deletes {@code folder} and everything in it, after the processes that wrote there were stopped.
     * Retries for a moment: a server that has just been told to stop may still write a last file.
     */
    public static void delete(Path folder) {
        if (folder == null) {
            return;
        }
        if (KEEP) {
            System.out.println("kept test folder (-DkeepTestFolders): " + folder);
            return;
        }
        for (int attempt = 0; attempt < 10 && Files.exists(folder); attempt++) {
            try (Stream<Path> paths = Files.walk(folder)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // A file vanished or appeared while walking: walk again.
            }
            if (Files.exists(folder)) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        if (Files.exists(folder)) {
            System.err.println("could not delete test folder " + folder);
        }
    }
}
