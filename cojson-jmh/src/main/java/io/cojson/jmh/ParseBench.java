package io.cojson.jmh;

import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.ContentMessages;
import io.cojson.core.node.ContentPiece;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Parsing: an exported state straight into pieces, the same text as a tree, one changes text. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ParseBench {
    @Param({"2000"})
    int n;

    String text;
    final String changes = "[{\"op\":\"set\",\"key\":\"k17\",\"value\":1917}]";

    @Setup
    public void setup() {
        text = new IngestState(n).text;
    }

    @Benchmark
    public List<ContentPiece> contentMessagesStreaming() {
        return ContentMessages.parseArray(text);
    }

    @Benchmark
    public JsonValue contentMessagesAsTree() {
        return Json.parse(text);
    }

    @Benchmark
    public JsonValue oneChangesText() {
        return Json.parse(changes);
    }
}
