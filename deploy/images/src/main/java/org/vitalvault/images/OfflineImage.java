package org.vitalvault.images;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * An OCI image tarball of one Quarkus service built by jib-core with no registry and no daemon
 * (offline-image.sh, docs/decisions/039): from scratch, a layer with a jlink'd JRE, a layer with the
 * shared libraries that JRE needs (taken from the build host), and the service's quarkus-app, in
 * Jib's usual order (what changes most, last). Runs as uid 185.
 *
 * <p>Arguments: JRE dir, OS-libraries dir, quarkus-app dir, output tar, image name, ports…
 */
public final class OfflineImage {

    private OfflineImage() {
    }

    public static void main(String[] a) throws Exception {
        Path jre = Path.of(a[0]);
        Path os = Path.of(a[1]);
        Path app = Path.of(a[2]);
        Path out = Path.of(a[3]);
        String name = a[4];
        Set<Port> ports = new java.util.HashSet<>();
        for (int i = 5; i < a.length; i++) {
            ports.add(Port.tcp(Integer.parseInt(a[i])));
        }
        Path cache = out.toAbsolutePath().getParent().resolve("jib-cache");
        JibContainer image = Jib.fromScratch()
                .setFormat(ImageFormat.OCI)
                .addFileEntriesLayer(layer("os", os, "/"))
                .addFileEntriesLayer(layer("jre", jre, "/opt/jre"))
                .addFileEntriesLayer(layer("quarkus-app", app, "/deployments"))
                .setEnvironment(Map.of("JAVA_HOME", "/opt/jre", "LANG", "C.UTF-8"))
                .setWorkingDirectory(AbsoluteUnixPath.get("/deployments"))
                .setUser("185")
                .setExposedPorts(ports)
                .setEntrypoint(List.of("/opt/jre/bin/java", "-XX:MaxRAMPercentage=75", "-Djava.io.tmpdir=/tmp",
                        "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-jar",
                        "/deployments/quarkus-run.jar"))
                .containerize(Containerizer.to(TarImage.at(out).named(name)).setOfflineMode(true)
                        .setBaseImageLayersCache(cache).setApplicationLayersCache(cache));
        System.out.println(name + " " + image.getDigest() + " → " + out);
    }

    private static FileEntriesLayer layer(String name, Path root, String target) throws Exception {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(p -> !p.equals(root)).sorted().toList()) {
                String relative = root.relativize(p).toString();
                String mode = relative.equals("tmp") ? "777"   // world-writable /tmp (no sticky bit in Jib's modes)
                        : Files.isDirectory(p) || Files.isExecutable(p) ? "755" : "644";
                layer.addEntry(p, AbsoluteUnixPath.get(target).resolve(relative), FilePermissions.fromOctalString(mode));
            }
        }
        return layer.build();
    }
}
