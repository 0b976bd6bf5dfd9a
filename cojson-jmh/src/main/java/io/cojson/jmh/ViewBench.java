package io.cojson.jmh;

import io.cojson.core.json.JsonValue;
import io.cojson.core.node.ContentMessages;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.values.CojsonNode;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Verify + apply (the parsed pieces into a fresh account node), and apply + first materialized
 * view of the map: W3's steady state without the parse.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ViewBench {
    @Param({"2000"})
    int n;

    IngestState state;
    List<ContentPiece> pieces;
    CojsonNode receiver;

    @Setup(Level.Trial)
    public void setup() {
        state = new IngestState(n);
        pieces = ContentMessages.parseArray(state.text);
    }

    @Setup(Level.Invocation)
    public void freshReceiver() {
        receiver = CojsonNode.createAccount(state.crypto, "reader");
    }

    @Benchmark
    public CojsonNode verifyAndApply() {
        receiver.importContent(pieces);
        return receiver;
    }

    @Benchmark
    public JsonValue applyAndMaterialize() {
        receiver.importContent(pieces);
        return receiver.map(state.map).toJson();
    }
}
