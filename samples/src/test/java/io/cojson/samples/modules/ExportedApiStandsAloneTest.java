package io.cojson.samples.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * An exported package stands on its own (issue 9, item 5): no public or protected member of a
 * public type the libraries export to everyone names a cojson type of a package they do not export
 * to everyone (javac's {@code -Xlint:exports} warning, made a failing check). Read from the
 * compiled classes and module descriptors on the class path.
 */
class ExportedApiStandsAloneTest {
    private static final Set<String> LIBRARIES = Set.of("io.cojson.core", "io.cojson.storage", "io.cojson.sync");

    @Test
    void noExportedSignatureNamesAnInternalCojsonType() throws Exception {
        Map<String, Path> locations = new TreeMap<>();
        Set<String> exported = new TreeSet<>();
        Enumeration<URL> urls = getClass().getClassLoader().getResources("module-info.class");
        while (urls.hasMoreElements()) {
            URL url = urls.nextElement();
            ModuleDescriptor d;
            try (InputStream in = url.openStream()) {
                d = ModuleDescriptor.read(in);
            }
            if (!LIBRARIES.contains(d.name())) continue;
            locations.put(d.name(), root(url));
            for (ModuleDescriptor.Exports e : d.exports()) if (!e.isQualified()) exported.add(e.source());
        }
        assertEquals(LIBRARIES, locations.keySet(), "found the library modules on the class path");

        List<String> leaks = new ArrayList<>();
        int types = 0;
        for (Path root : locations.values()) {
            for (String className : classesIn(root, exported)) {
                Class<?> c = Class.forName(className, false, getClass().getClassLoader());
                if (!isVisible(c)) continue;
                types++;
                check(c.getSimpleName() + " extends", c.getGenericSuperclass(), exported, leaks);
                for (Type t : c.getGenericInterfaces()) check(c.getName() + " implements", t, exported, leaks);
                for (Method m : c.getDeclaredMethods()) {
                    if (!isApi(m.getModifiers()) || m.isSynthetic() || m.isBridge()) continue;
                    String where = c.getName() + "." + m.getName();
                    check(where, m.getGenericReturnType(), exported, leaks);
                    for (Type t : m.getGenericParameterTypes()) check(where, t, exported, leaks);
                    for (Type t : m.getGenericExceptionTypes()) check(where, t, exported, leaks);
                }
                for (Constructor<?> k : c.getDeclaredConstructors()) {
                    if (!isApi(k.getModifiers()) || k.isSynthetic()) continue;
                    for (Type t : k.getGenericParameterTypes()) check(c.getName() + ".<init>", t, exported, leaks);
                }
                for (Field f : c.getDeclaredFields()) {
                    if (isApi(f.getModifiers()) && !f.isSynthetic()) check(c.getName() + "." + f.getName(), f.getGenericType(), exported, leaks);
                }
            }
        }
        assertTrue(types > 50, "checked the exported types (" + types + ")");
        assertEquals(List.of(), leaks);
    }

    private static boolean isApi(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    /** Public, and nested only in public types (a protected nested type of a public class counts). */
    private static boolean isVisible(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
            if (!isApi(k.getModifiers()) || k.isAnonymousClass() || k.isLocalClass() || k.isSynthetic()) return false;
        }
        return true;
    }

    private static void check(String where, Type t, Set<String> exported, List<String> leaks) {
        check(where, t, exported, leaks, new HashSet<>());
    }

    private static void check(String where, Type t, Set<String> exported, List<String> leaks, Set<Type> seen) {
        if (t == null || !seen.add(t)) return;
        if (t instanceof Class<?> c) {
            while (c.isArray()) c = c.getComponentType();
            String pkg = c.getPackageName();
            if (pkg.startsWith("io.cojson.") && !exported.contains(pkg)) leaks.add(where + " names " + c.getName());
        } else if (t instanceof ParameterizedType p) {
            check(where, p.getRawType(), exported, leaks, seen);
            for (Type a : p.getActualTypeArguments()) check(where, a, exported, leaks, seen);
        } else if (t instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) check(where, b, exported, leaks, seen);
            for (Type b : w.getLowerBounds()) check(where, b, exported, leaks, seen);
        } else if (t instanceof GenericArrayType g) {
            check(where, g.getGenericComponentType(), exported, leaks, seen);
        } else if (t instanceof TypeVariable<?> v) {
            for (Type b : v.getBounds()) check(where, b, exported, leaks, seen);
        }
    }

    /** The class-path root (a directory or a jar) the descriptor was read from. */
    private static Path root(URL descriptor) throws URISyntaxException, java.net.MalformedURLException {
        String s = descriptor.toString();
        if (s.startsWith("jar:")) return Path.of(new URL(s.substring(4, s.indexOf("!/"))).toURI());
        return Path.of(descriptor.toURI()).getParent();
    }

    private static List<String> classesIn(Path root, Set<String> packages) throws IOException {
        List<String> out = new ArrayList<>();
        if (Files.isDirectory(root)) {
            collect(root, packages, out);
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(root)) {
                collect(jar.getPath("/"), packages, out);
            }
        }
        return out;
    }

    private static void collect(Path root, Set<String> packages, List<String> out) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            all.filter(p -> p.toString().endsWith(".class") && !p.getFileName().toString().equals("module-info.class")
                            && !p.getFileName().toString().equals("package-info.class"))
                    .forEach(p -> {
                        String rel = root.relativize(p).toString().replace('\\', '/');
                        String name = rel.substring(0, rel.length() - ".class".length()).replace('/', '.');
                        int dot = name.lastIndexOf('.');
                        if (dot > 0 && packages.contains(name.substring(0, dot))) out.add(name);
                    });
        }
    }
}
