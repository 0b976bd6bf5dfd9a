package io.cojson.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The samples are what users copy: they import no {@code internal} package of the SDK. */
class SamplesUseNoInternalsTest {
    private static final Pattern INTERNAL_IMPORT =
            Pattern.compile("^import\\s+(static\\s+)?io\\.cojson\\.[\\w.]*\\binternal\\b[\\w.*]*;", Pattern.MULTILINE);

    @Test
    void noSampleSourceImportsAnInternalPackage() throws IOException {
        Path main = Path.of("src", "main", "java"); // surefire runs in the module's directory
        assertTrue(Files.isDirectory(main), "run from the samples module: " + main.toAbsolutePath());
        List<String> found = new ArrayList<>();
        int files = 0;
        try (Stream<Path> all = Files.walk(main)) {
            for (Path f : (Iterable<Path>) all.filter(p -> p.toString().endsWith(".java"))::iterator) {
                files++;
                Matcher m = INTERNAL_IMPORT.matcher(Files.readString(f, StandardCharsets.UTF_8));
                while (m.find()) found.add(main.relativize(f) + ": " + m.group());
            }
        }
        assertTrue(files > 10, "scanned the sample sources (" + files + " files)");
        assertEquals(List.of(), found);
    }
}
