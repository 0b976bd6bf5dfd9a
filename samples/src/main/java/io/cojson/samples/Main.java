package io.cojson.samples;

import io.cojson.samples.cli.ServerCommand;
import io.cojson.samples.cli.TodoCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the samples jar: {@code java -jar cojson-samples.jar <command>}. */
@Command(name = "cojson-samples", mixinStandardHelpOptions = true, version = "cojson-jvm 0.1.0-SNAPSHOT",
        description = "Runnable programs of the cojson JVM SDK.",
        subcommands = {TodoCommand.class, ServerCommand.class, io.cojson.samples.cli.ClientCommand.class, DemoCommand.class, BenchCommand.class})
public final class Main implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
