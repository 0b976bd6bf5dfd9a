/**
 * The project's own drivers, not an API: the benchmarks ({@code bench}), the session-log demo
 * ({@code demo}) and the protocol-level scripted client ({@code client}) that the interop suite
 * drives as the Java counterpart of the reference's {@code ref-client.mjs}. They time or script
 * steps no app needs (a parse apart from its apply, the signature drain, raw session logs, group
 * operations by agent ID), so the libraries export those internals to this module alone; the
 * samples an app copies use only the exported packages.
 */
module io.cojson.tools {
    requires io.cojson.sync;
    requires info.picocli;
    requires java.management;
    requires jdk.management;

    exports io.cojson.tools.bench;
    exports io.cojson.tools.client;
    exports io.cojson.tools.demo;

    opens io.cojson.tools.bench to info.picocli;
    opens io.cojson.tools.client to info.picocli;
    opens io.cojson.tools.demo to info.picocli;
}
