package io.cojson.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
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
 * The samples are what users copy: every SDK class they name (imported or written out in full) is
 * in a package the library modules export to everyone, as their compiled module descriptors say.
 * Only {@code Main} names the tools' commands, which it bundles into the jar.
 */
class SamplesUseNoInternalsTest {
    private static final Pattern SDK_CLASS = Pattern.compile("\\b(io\\.cojson(?:\\.[a-z][a-z0-9_]*)+)\\.(?:[A-Z*])");
    private static final Set<String> LIBRARIES = Set.of("io.cojson.core", "io.cojson.storage", "io.cojson.sync");

    @Test
    void everySdkPackageASampleNamesIsExportedToEveryone() throws IOException {
        Map<String, ModuleDescriptor> modules = cojsonModuleDescriptors();
        assertTrue(modules.keySet().containsAll(LIBRARIES) && modules.containsKey("io.cojson.tools"),
                "read the modules' descriptors from the class path: " + modules.keySet());
        Set<String> exported = new TreeSet<>();
        for (String library : LIBRARIES) {
            for (ModuleDescriptor.Exports e : modules.get(library).exports()) {
                if (!e.isQualified()) exported.add(e.source());
            }
        }
        assertTrue(exported.contains("io.cojson.core.values") && !exported.contains("io.cojson.core.node"),
                "the exported packages as the descriptors give them: " + exported);
        Set<String> tools = modules.get("io.cojson.tools").packages();

        Path main = Path.of("src", "main", "java"); // surefire runs in the module's directory
        assertTrue(Files.isDirectory(main), "run from the samples module: " + main.toAbsolutePath());
        List<String> found = new ArrayList<>();
        int files = 0;
        try (Stream<Path> all = Files.walk(main)) {
            for (Path f : (Iterable<Path>) all.filter(p -> p.toString().endsWith(".java"))::iterator) {
                files++;
                boolean isMain = f.getFileName().toString().equals("Main.java");
                Matcher m = SDK_CLASS.matcher(Files.readString(f, StandardCharsets.UTF_8));
                while (m.find()) {
                    String pkg = m.group(1);
                    boolean ok = pkg.startsWith("io.cojson.samples") || exported.contains(pkg) || (isMain && tools.contains(pkg));
                    if (!ok) found.add(main.relativize(f) + ": " + pkg);
                }
            }
        }
        assertTrue(files >= 4, "scanned the sample sources (" + files + " files)");
        assertEquals(List.of(), found);
    }

    private static Map<String, ModuleDescriptor> cojsonModuleDescriptors() throws IOException {
        Map<String, ModuleDescriptor> out = new TreeMap<>();
        Enumeration<URL> urls = SamplesUseNoInternalsTest.class.getClassLoader().getResources("module-info.class");
        while (urls.hasMoreElements()) {
            try (InputStream in = urls.nextElement().openStream()) {
                ModuleDescriptor d = ModuleDescriptor.read(in);
                if (d.name().startsWith("io.cojson.")) out.put(d.name(), d);
            }
        }
        return out;
    }
}
