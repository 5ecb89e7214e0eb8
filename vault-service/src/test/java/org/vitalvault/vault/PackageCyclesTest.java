package org.vitalvault.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.vitalvault.vault.auth.CallerOwner;

/**
 * No package of vault-service depends, directly or through others, on a package that depends on it:
 * a cycle ties features together so that neither can change (or move to its own module) alone. The
 * graph is read from the compiled main classes: every class name in a class file's constant pool
 * (references, field and method descriptors, generic signatures, annotations), so nothing the
 * compiler links escapes it. Test classes are not part of the graph.
 */
class PackageCyclesTest {

    private static final String ROOT = "org/vitalvault/vault/";
    // An internal class name below ROOT: lower-case package segments, then a class name.
    private static final Pattern REFERENCE = Pattern.compile(Pattern.quote(ROOT) + "((?:[a-z0-9_]+/)+)[A-Z]");

    @Test
    void vaultServiceHasNoPackageCycles() throws IOException, URISyntaxException {
        Path classes = Path.of(CallerOwner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Map<String, Map<String, Set<String>>> graph = packageGraph(classes);
        // Guards the guard: a scan that found nothing would pass any code.
        assertTrue(graph.size() >= 15, "expected every vault-service package in " + classes + ", found " + graph.keySet());
        List<Set<String>> cycles = cycles(graph);
        assertTrue(cycles.isEmpty(), () -> describe(cycles, graph));
    }

    @Test
    void theCheckFindsACycleThroughThreePackages() {
        Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
        edge(graph, "owner", "keys", "owner.OwnerResource");
        edge(graph, "keys", "auth", "keys.OwnerKeyResource");
        edge(graph, "auth", "owner", "auth.CallerOwner");
        edge(graph, "lease", "auth", "lease.LeaseService");
        assertEquals(List.of(Set.of("auth", "keys", "owner")), cycles(graph));
    }

    /** Package → packages it uses → the classes that use them (for the failure message). */
    static Map<String, Map<String, Set<String>>> packageGraph(Path classes) throws IOException {
        Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
        Path root = classes.resolve(ROOT);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".class")).toList();
        }
        for (Path file : files) {
            String relative = root.relativize(file).toString().replace('\\', '/');
            if (relative.indexOf('/') < 0) {
                continue;
            }
            String from = relative.substring(0, relative.lastIndexOf('/')).replace('/', '.');
            String className = relative.substring(relative.lastIndexOf('/') + 1).replace(".class", "");
            graph.computeIfAbsent(from, k -> new TreeMap<>());
            for (String text : utf8Constants(file)) {
                Matcher m = REFERENCE.matcher(text);
                while (m.find()) {
                    String to = m.group(1).substring(0, m.group(1).length() - 1).replace('/', '.');
                    if (!to.equals(from)) {
                        edge(graph, from, to, from + "." + className);
                    }
                }
            }
        }
        return graph;
    }

    private static void edge(Map<String, Map<String, Set<String>>> graph, String from, String to, String byClass) {
        graph.computeIfAbsent(from, k -> new TreeMap<>()).computeIfAbsent(to, k -> new TreeSet<>()).add(byClass);
        graph.computeIfAbsent(to, k -> new TreeMap<>());
    }

    /** Every CONSTANT_Utf8 of a class file (JVMS 4.4); the other constants are skipped by their sizes. */
    private static List<String> utf8Constants(Path file) throws IOException {
        List<String> texts = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file); DataInputStream data = new DataInputStream(in)) {
            if (data.readInt() != 0xCAFEBABE) {
                throw new IOException(file + " is not a class file");
            }
            data.readUnsignedShort();
            data.readUnsignedShort();
            int count = data.readUnsignedShort();
            for (int i = 1; i < count; i++) {
                int tag = data.readUnsignedByte();
                switch (tag) {
                    case 1 -> texts.add(data.readUTF());
                    case 7, 8, 16, 19, 20 -> data.skipNBytes(2);
                    case 15 -> data.skipNBytes(3);
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> data.skipNBytes(4);
                    case 5, 6 -> {
                        data.skipNBytes(8);
                        i++; // a long or double takes two entries
                    }
                    default -> throw new IOException(file + ": unknown constant pool tag " + tag);
                }
            }
        }
        return texts;
    }

    /** The strongly connected components of more than one package (Tarjan), each sorted. */
    static List<Set<String>> cycles(Map<String, Map<String, Set<String>>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<Set<String>> found = new ArrayList<>();
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, graph, index, low, stack, found);
            }
        }
        return found;
    }

    private static void connect(String v, Map<String, Map<String, Set<String>>> graph, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, List<Set<String>> found) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        for (String w : graph.get(v).keySet()) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, found);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (stack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                found.add(component);
            }
        }
    }

    private static String describe(List<Set<String>> cycles, Map<String, Map<String, Set<String>>> graph) {
        StringBuilder text = new StringBuilder("package cycles in vault-service:");
        for (Set<String> cycle : cycles) {
            text.append("\n  ").append(cycle).append(':');
            for (String from : cycle) {
                graph.get(from).forEach((to, by) -> {
                    if (cycle.contains(to)) {
                        text.append("\n    ").append(from).append(" -> ").append(to).append(" (").append(by).append(')');
                    }
                });
            }
        }
        return text.append("\nmove the shared piece to its own package, or put an interface where the arrow should point")
                .toString();
    }
}
