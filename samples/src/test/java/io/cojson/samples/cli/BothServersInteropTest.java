package io.cojson.samples.cli;

import io.cojson.server.CojsonServer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An interop scenario run once through the JS reference server and once through the Java server,
 * with the child processes it starts ({@link #procs}) stopped after each run.
 */
@Tag("interop")
@Timeout(value = 10, unit = TimeUnit.MINUTES) // node and JVM child processes; the default (180 s) is for in-JVM tests
abstract class BothServersInteropTest {
    /** Which sync server a run goes through. */
    enum Server { REFERENCE, JAVA }

    protected final InteropProcesses procs = new InteropProcesses();
    private CojsonServer javaServer;

    /** The scenario, through the server at {@code url}. */
    protected abstract void runThrough(String url, Server server) throws Exception;

    @AfterEach
    void stopProcessesAndServer() throws Exception {
        procs.close();
        if (javaServer != null) javaServer.close();
    }

    @Test
    void throughTheReferenceServer() throws Exception {
        runThrough(procs.startReferenceServer(), Server.REFERENCE);
    }

    @Test
    void throughTheJavaServer() throws Exception {
        javaServer = CojsonServer.builder().start();
        runThrough(javaServer.url(), Server.JAVA);
    }
}
