package io.cojson.core.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.TransactionID;
import io.cojson.core.ids.SessionID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link StableJson#nonceMaterialBytes} writes a transaction's nonce material straight into bytes:
 * whenever it answers, the bytes must be exactly {@link StableJson#bytes} of the same value, and
 * it must decline (null) every value whose stable form it would not write the same way.
 */
class NonceMaterialBytesProperties {

    @Property(tries = 1000)
    void whenItAnswersItIsTheStableText(@ForAll("materials") JsonValue material) {
        byte[] direct = StableJson.nonceMaterialBytes(material);
        if (direct != null) assertArrayEquals(StableJson.bytes(material), direct, material::toString);
    }

    @Property(tries = 300)
    void aRealTransactionsMaterialIsAlwaysWrittenDirectly(@ForAll("txIndexes") int txIndex) {
        RawCoID in = new RawCoID("co_zUsPwV9vBYdCUoQjHQnLE8mbHzL");
        SessionID session = new SessionID("co_zM2LNbCzJDiNDbXnPE8rzyu4qHs_session_zYpSKW7bj8Xp");
        JsonValue material = new TransactionID(session, txIndex).nonceMaterial(in);
        byte[] direct = StableJson.nonceMaterialBytes(material);
        assertNotNull(direct);
        assertArrayEquals(StableJson.bytes(material), direct);
    }

    @Example
    void itDeclinesWhatItWouldWriteDifferently() {
        JsonValue tx = JsonValue.obj("sessionID", JsonValue.of("s"), "txIndex", JsonValue.of(1));
        assertNull(StableJson.nonceMaterialBytes(JsonValue.obj("in", JsonValue.of("a\"b"), "tx", tx)), "a quote needs escaping");
        assertNull(StableJson.nonceMaterialBytes(JsonValue.obj("in", JsonValue.of("é"), "tx", tx)), "not ASCII");
        assertNull(StableJson.nonceMaterialBytes(JsonValue.obj("in", JsonValue.of("a"), "tx",
                JsonValue.obj("sessionID", JsonValue.of("s"), "txIndex", JsonValue.of(1.5)))), "not an integer");
        assertNull(StableJson.nonceMaterialBytes(JsonValue.obj("in", JsonValue.of("a"), "tx", tx, "x", JsonValue.NULL)), "a third key");
        assertNull(StableJson.nonceMaterialBytes(JsonValue.of("co_z1")), "not an object");
    }

    @Provide
    Arbitrary<Integer> txIndexes() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE);
    }

    /** Mostly the usual shape, with strings and numbers that are sometimes not plain, and other shapes. */
    @Provide
    Arbitrary<JsonValue> materials() {
        Arbitrary<String> plain = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40);
        Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(12);
        Arbitrary<String> strings = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, plain), net.jqwik.api.Tuple.of(1, any),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("encrypted_U\"x\\", "binary_U\u0001", "co_z\u2028", "")));
        Arbitrary<JsonValue> numbers = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.longs().between(0, 9007199254740993L).map(l -> (JsonValue) JsonValue.of((double) l))),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(-1d, -0d, 0.5, 1e21, 1e300, Double.MAX_VALUE, 9007199254740992d,
                        9007199254740994d, Double.NaN).map(d -> (JsonValue) JsonValue.of(d))),
                net.jqwik.api.Tuple.of(1, strings.map(s -> (JsonValue) JsonValue.of(s))));
        Arbitrary<JsonValue> usual = Combinators.combine(strings, strings, numbers).as((in, session, index) ->
                JsonValue.obj("in", JsonValue.of(in), "tx", JsonValue.obj("sessionID", JsonValue.of(session), "txIndex", index)));
        Arbitrary<JsonValue> reordered = Combinators.combine(strings, strings, numbers).as((in, session, index) ->
                JsonValue.obj("tx", JsonValue.obj("txIndex", index, "sessionID", JsonValue.of(session)), "in", JsonValue.of(in)));
        Arbitrary<JsonValue> otherShapes = Combinators.combine(strings, numbers).as((s, n) ->
                JsonValue.obj("in", JsonValue.of(s), "tx", JsonValue.obj("sessionID", n, "txIndex", JsonValue.of(s))));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, usual), net.jqwik.api.Tuple.of(2, reordered),
                net.jqwik.api.Tuple.of(1, otherShapes));
    }
}
