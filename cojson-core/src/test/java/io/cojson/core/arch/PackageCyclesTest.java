package io.cojson.core.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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

/**
 * The library's packages form layers (one concern each): no two concerns depend on each other, in
 * core, storage or sync. The only cycles allowed are between a package and its own
 * {@code internal} package (an API and its implementation). Read from the main sources of the three
 * modules (this repository's siblings): every {@code io.cojson.x.Type} reference counts, javadoc
 * links included.
 */
class PackageCyclesTest {
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.cojson(?:\\.[a-z]\\w*)*)\\.[A-Z]");

    @Test
    void concernsDoNotDependOnEachOther() throws IOException {
        Map<String, Set<String>> deps = new TreeMap<>();
        for (String root : List.of("src/main/java", "../cojson-storage/src/main/java", "../cojson-sync/src/main/java")) {
            assertTrue(Files.isDirectory(Path.of(root)), root + " not found from " + Path.of("").toAbsolutePath());
            dependencies(Path.of(root)).forEach((p, d) -> deps.computeIfAbsent(p, k -> new TreeSet<>()).addAll(d));
        }
        assertTrue(deps.containsKey("io.cojson.sync.recovery") && deps.containsKey("io.cojson.storage.engine.internal"),
                "every module's packages are read: " + deps.keySet());
        assertTrue(deps.get("io.cojson.core.groups").contains("io.cojson.core.covalue"), "groups builds on covalue");

        List<Set<String>> cycles = new ArrayList<>();
        for (Set<String> component : stronglyConnected(deps)) {
            if (component.size() < 2) continue;
            String api = component.stream().filter(p -> !p.endsWith(".internal")).findFirst().orElse("");
            if (!component.equals(Set.of(api, api + ".internal"))) cycles.add(component);
        }
        assertEquals(List.of(), cycles, "package cycles between concerns");
    }

    private static Map<String, Set<String>> dependencies(Path root) throws IOException {
        Map<String, Set<String>> deps = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                if (f.getFileName().toString().equals("module-info.java")) continue;
                String src = Files.readString(f);
                Matcher pkg = PACKAGE.matcher(src);
                if (!pkg.find()) continue;
                Set<String> out = deps.computeIfAbsent(pkg.group(1), k -> new TreeSet<>());
                Matcher ref = REFERENCE.matcher(src);
                while (ref.find()) if (!ref.group(1).equals(pkg.group(1))) out.add(ref.group(1));
            }
        }
        return deps;
    }

    /** Tarjan's algorithm, iterative over a small graph. */
    private static List<Set<String>> stronglyConnected(Map<String, Set<String>> g) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> out = new ArrayList<>();
        for (String start : g.keySet()) {
            if (!index.containsKey(start)) visit(start, g, index, low, stack, onStack, out);
        }
        return out;
    }

    private static void visit(String v, Map<String, Set<String>> g, Map<String, Integer> index, Map<String, Integer> low,
            Deque<String> stack, Set<String> onStack, List<Set<String>> out) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        for (String w : g.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                visit(w, g, index, low, stack, onStack, out);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            out.add(component);
        }
    }
}
