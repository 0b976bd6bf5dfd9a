package io.cojson.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * cojson-bom has no parent (importing it must not pull in the build's test versions), so it repeats
 * the versions the parent pins where MapDB declares ranges: they must stay the same.
 */
class BomVersionsTest {
    private static String property(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">").matcher(pom);
        return m.find() ? m.group(1).trim() : null;
    }

    private static String version(String pom) { // the project's own version, after the parent block if any
        String own = pom.replaceFirst("(?s)<parent>.*?</parent>", "").replaceFirst("(?s)<dependencyManagement>.*", "");
        return property(own, "version");
    }

    @Test
    void theBomPinsWhatTheBuildPins() throws Exception {
        Path root = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
        String parent = Files.readString(root.resolve("pom.xml"));
        String bom = Files.readString(root.resolve("cojson-bom/pom.xml"));
        assertEquals(version(parent), version(bom), "cojson-bom's version");
        for (String name : new String[] {"guava.version", "kotlin.version", "eclipse-collections.version"}) {
            String pinned = property(parent, name);
            assertFalse(pinned == null || pinned.startsWith("[") || pinned.startsWith("("), name + " pinned in the parent");
            assertEquals(pinned, property(bom, name), name + " in cojson-bom");
        }
    }
}
