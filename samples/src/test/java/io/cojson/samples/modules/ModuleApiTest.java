package io.cojson.samples.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an app may use is what the library modules export (issue 9, item 5): the notes sample and
 * the README quickstart and server snippet compile as a named module that only {@code requires io.cojson.sync}, with
 * the libraries and their dependencies on the module path, as an app built on the jars sees them.
 * The same compilation refuses an import of an internal package (the check can fail).
 */
class ModuleApiTest {
    /** Test-only jars of this module's class path; the app's module path holds the libraries and their dependencies. */
    private static final Pattern TEST_ONLY = Pattern.compile(
            "junit|jqwik|opentest4j|apiguardian|mockito|byte-buddy|objenesis|slf4j-simple|jackson-databind|jackson-annotations"
                    + "|picocli|surefire|/samples/|test-classes|-tests\\.jar");

    @TempDir
    Path tmp;

    @Test
    void theNotesSampleAndTheQuickstartCompileAgainstExportedPackagesOnly() throws IOException {
        Path src = tmp.resolve("src");
        write(src.resolve("module-info.java"), "module app {\n    requires io.cojson.sync;\n}\n");
        Path notes = Path.of("src/main/java/io/cojson/samples/notes/NotesSample.java"); // surefire runs in the module's directory
        assertTrue(Files.isRegularFile(notes), notes.toAbsolutePath().toString());
        write(src.resolve("io/cojson/samples/notes/NotesSample.java"), Files.readString(notes));
        write(src.resolve("app/Quickstart.java"), "package app;\n\nimport io.cojson.client.CojsonClient;\n"
                + "import io.cojson.client.CreatedAccount;\nimport io.cojson.core.values.Account;\nimport io.cojson.core.values.CoMap;\n"
                + "import java.nio.file.Files;\nimport java.nio.file.Path;\n\nclass Quickstart {\n"
                + "    static String quickstart(Path dataDir, String serverUrl) throws Exception {\n" + quickstartBlock() + "\n    }\n}\n");
        write(src.resolve("app/ServerApp.java"), "package app;\n\nimport io.cojson.server.CojsonServer;\nimport java.nio.file.Path;\n\n"
                + "class ServerApp {\n    static void serve() throws Exception {\n" + readmeBlock("try (CojsonServer server = CojsonServer.builder()") + "\n    }\n}\n");
        write(src.resolve("app/ConflictsApp.java"), "package app;\n\nimport io.cojson.client.CojsonClient;\n"
                + "import io.cojson.client.Conflict;\nimport io.cojson.core.json.JsonValue;\nimport io.cojson.core.values.Subscription;\n\n"
                + "class ConflictsApp {\n    static void show(String line) {}\n\n    static Subscription watch(CojsonClient client) {\n"
                + readmeBlock("Subscription token = client.onConflict(") + "\n        return token;\n    }\n}\n");
        Result r = compile(src);
        assertEquals(0, r.exit, r.output);
    }

    @Test
    void aClientAppRunsOnTheModulePathWithoutTheServerLibraries() throws Exception {
        String modulePath = libraries(false);
        assertTrue(!modulePath.contains("jetty"), modulePath);
        String output = compileAndRun("client", "", "io.cojson.client.CojsonClient", modulePath, ""
                + "        try (CojsonClient c = CojsonClient.builder().dataDirectory(java.nio.file.Path.of(args[0])).build()) {\n"
                + "            c.createAccount(\"Modular\");\n"
                + "            var m = c.node().createGroup().createMap().set(\"k\", \"v\");\n"
                + "            System.out.println(\"ok \" + m.getString(\"k\"));\n"
                + "        }\n", tmp.resolve("client-data").toString()); // MapDB storage on the module path too
        assertTrue(output.contains("ok v"), output);
    }

    @Test
    void aServerAppRunsOnTheModulePathWithTheServerLibrariesItRequires() throws Exception {
        // the recipe the README gives a modular server app
        String output = compileAndRun("server", "    requires org.eclipse.jetty.websocket.server;\n", "io.cojson.server.CojsonServer",
                libraries(true), ""
                + "        try (CojsonServer s = CojsonServer.builder().start()) {\n"
                + "            System.out.println(\"listening \" + (s.port() > 0));\n"
                + "        }\n");
        assertTrue(output.contains("listening true"), output);
    }

    /** Compiles module {@code app} (requiring io.cojson.sync, plus {@code requires}) whose {@code app.Main} runs {@code body}, then runs it. */
    private String compileAndRun(String name, String requires, String importedClass, String modulePath, String body, String... args)
            throws Exception {
        Path src = tmp.resolve(name);
        write(src.resolve("module-info.java"), "module app {\n    requires io.cojson.sync;\n" + requires + "}\n");
        write(src.resolve("app/Main.java"), "package app;\n\nimport " + importedClass + ";\n\n"
                + "public class Main {\n    public static void main(String[] args) throws Exception {\n" + body + "    }\n}\n");
        Result r = compile(src, modulePath);
        assertEquals(0, r.exit, r.output);
        return run(src, modulePath, args);
    }

    /** Runs {@code app/app.Main} compiled from {@code src} in a child JVM on the module path; returns its output once it exited 0. */
    private static String run(Path src, String modulePath, String... args) throws Exception {
        Path out = src.resolveSibling(src.getFileName() + "-out");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(javaBin, "--module-path", modulePath + File.pathSeparator + out, "-m", "app/app.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        boolean ended = p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
        if (!ended) p.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ended, "the app ended within 60 s: " + output);
        assertEquals(0, p.exitValue(), output);
        return output;
    }

    @Test
    void anImportOfAnInternalPackageDoesNotCompile() throws IOException {
        Path src = tmp.resolve("bad");
        write(src.resolve("module-info.java"), "module app {\n    requires io.cojson.sync;\n}\n");
        write(src.resolve("app/Peek.java"), "package app;\n\nimport io.cojson.core.node.LocalNode;\n\n"
                + "class Peek {\n    LocalNode node;\n}\n");
        Result r = compile(src);
        assertTrue(r.exit != 0, "an internal package must not be visible to apps");
        assertTrue(r.output.contains("package io.cojson.core.node is not visible"), r.output);
    }

    /** The code between the markers of {@code ReadmeQuickstartTest}, the README's quickstart verbatim. */
    private static String quickstartBlock() throws IOException {
        String test = Files.readString(Path.of("src/test/java/io/cojson/samples/notes/ReadmeQuickstartTest.java"));
        int from = test.indexOf("// --- README quickstart (client object) ---");
        int to = test.indexOf("// --- end of quickstart ---");
        assertTrue(from > 0 && to > from, "the quickstart markers are in ReadmeQuickstartTest");
        return test.substring(from, to);
    }

    /** The README's code block that starts with {@code start}, verbatim up to the block's end. */
    private static String readmeBlock(String start) throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        int from = readme.indexOf(start);
        int to = from < 0 ? -1 : readme.indexOf("```", from);
        assertTrue(from > 0 && to > from, "the README has the snippet starting with " + start);
        return readme.substring(from, to);
    }

    private record Result(int exit, String output) { }

    /** The libraries and their dependencies from this module's class path, with or without the server's (Jetty). */
    private static String libraries(boolean withServer) {
        String modulePath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !TEST_ONLY.matcher(e.replace('\\', '/')).find())
                .filter(e -> withServer || !e.replace('\\', '/').contains("/org/eclipse/jetty/"))
                .collect(Collectors.joining(File.pathSeparator));
        assertTrue(modulePath.contains("cojson-sync"), "the sync library is on the module path: " + modulePath);
        return modulePath;
    }

    private static Result compile(Path src) throws IOException {
        return compile(src, libraries(true));
    }

    private static Result compile(Path src, String modulePath) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertTrue(javac != null, "a JDK runs the tests");
        List<String> args = new ArrayList<>(List.of("--release", "17", "-d", src.resolveSibling(src.getFileName() + "-out").toString(),
                "--module-path", modulePath));
        try (Stream<Path> files = Files.walk(src)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int exit = javac.run(null, out, out, args.toArray(String[]::new));
        return new Result(exit, out.toString(StandardCharsets.UTF_8));
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
