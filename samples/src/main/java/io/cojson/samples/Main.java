package io.cojson.samples;

import io.cojson.samples.cli.ServerCommand;
import io.cojson.samples.cli.TodoCommand;
import io.cojson.tools.bench.BenchCommand;
import io.cojson.tools.client.ClientCommand;
import io.cojson.tools.demo.DemoCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the samples jar: {@code java -jar cojson-samples.jar <command>}. {@code todo} and
 * {@code server} are samples on the public API; {@code client}, {@code demo} and {@code bench} are
 * the project's tools (module {@code io.cojson.tools}), bundled here so one jar runs them all.
 */
@Command(name = "cojson-samples", mixinStandardHelpOptions = true, version = "cojson-jvm 0.1.0-SNAPSHOT",
        description = "Runnable programs of the cojson JVM SDK.",
        subcommands = {TodoCommand.class, ServerCommand.class, ClientCommand.class, DemoCommand.class, BenchCommand.class})
public final class Main implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
