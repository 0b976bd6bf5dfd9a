package io.cojson.sync.transport.internal;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code deserializeMessages}: split on \n, JSON.parse each line, any failure drops the frame. */
class FrameCodecTest {
    private static final String LOAD = "{\"action\":\"load\",\"id\":\"co_zA\",\"header\":false,\"sessions\":{}}";

    @ParameterizedTest
    @ValueSource(strings = {
        "not json", "{\"action\":", "{\"a\":1} {\"b\":2}", "{\"action\":\"load\"}\n", "\n{\"action\":\"load\"}",
        "{\"a\":1}\n\n{\"b\":2}", "{\"a\":\"\\x\"}", "{\"a\":[1,}", "{\"a\":01}", "{\"a\":NaN}", "   ", "{'a':1}",
        "{\"a\":\"tab\there\"}"
    })
    void anInvalidLineRejectsTheWholeFrame(String bad) {
        assertNotNull(FrameCodec.decode(bad).error, bad);
        assertNotNull(FrameCodec.decode(LOAD + "\n" + bad).error, "valid lines do not rescue the frame: " + bad);
    }

    @Test
    void linesAreClassifiedLikeTheReference() {
        String frame = String.join("\n", LOAD, "{\"type\":\"ping\",\"time\":1735736405029,\"dc\":\"x\"}",
                "null", "42", "[1,2]", "{\"other\":true}", "{\"action\":7,\"time\":\"t\"}");
        FrameCodec.Decoded d = FrameCodec.decode(frame);
        assertNull(d.error);
        assertEquals(7, d.lines.size());
        assertEquals("load", d.lines.get(0).action);
        assertEquals(LOAD, d.lines.get(0).text);
        assertTrue(d.lines.get(1).hasTime && !d.lines.get(1).hasAction);
        assertEquals(1735736405029.0, d.lines.get(1).time);
        assertFalse(d.lines.get(2).object);
        assertFalse(d.lines.get(3).object);
        assertFalse(d.lines.get(4).object);
        assertTrue(d.lines.get(5).object && !d.lines.get(5).hasAction && !d.lines.get(5).hasTime);
        assertTrue(d.lines.get(6).hasAction && d.lines.get(6).action == null && d.lines.get(6).hasTime);
    }

    /** Each received line keeps its parsed value (what Json.parse gives), so it is parsed once. */
    @Test
    void receivedLinesCarryTheirParsedValue() {
        String known = "{\"action\":\"known\",\"id\":\"co_zA\",\"header\":false,\"sessions\":{},\"n\":-0}";
        String content = "{\"action\":\"content\",\"id\":\"co_zA\",\"priority\":3,\"new\":{}}";
        FrameCodec.Decoded d = FrameCodec.decode(LOAD + "\n" + known + "\n[1,2]\n" + content);
        assertNull(d.error);
        for (FrameCodec.Head h : d.lines.subList(0, 3)) assertEquals(Json.parse(h.text), h.value, h.text);
        assertEquals(-0.0, ((JsonValue.Num) ((JsonValue.Obj) d.lines.get(1).value).get("n")).value());
        // Messages that carry transactions are only checked here: the protocol layer reads them without a tree.
        FrameCodec.Head c = d.lines.get(3);
        assertNull(c.value);
        assertEquals("content", c.action);
        assertEquals(3, c.priority);
        assertNotNull(FrameCodec.decode(LOAD + "\n" + content.substring(1)).error, "a broken content line still drops the frame");
        assertNull(FrameCodec.outgoingHead(LOAD).value, "outgoing heads are not parsed");
    }

    @Test
    void carriageReturnsAndLoneSurrogatesAreJsonLikeInJavaScript() {
        assertNull(FrameCodec.decode(LOAD + "\r\n" + LOAD).error);
        assertNull(FrameCodec.decode("{\"action\":\"x\",\"s\":\"\\ud800\"}").error);
    }

    @Test
    void outgoingHeadStopsAtPriorityAndIgnoresWhatFollows() {
        FrameCodec.Head h = FrameCodec.outgoingHead("{\"action\":\"content\",\"id\":\"co_zA\",\"header\":{\"priority\":9},\"priority\":6,\"new\":{\"x\":");
        assertEquals("content", h.action);
        assertEquals(6, h.priority);
        FrameCodec.Head r = FrameCodec.outgoingHead("{\"action\":\"reconcile\",\"values\":[");
        assertEquals("reconcile", r.action);
        assertNull(r.priority);
    }

    @Test
    void aSixMegabyteLineDecodes() {
        String big = "{\"action\":\"content\",\"blob\":\"" + "a".repeat(6_000_000) + "\"}";
        FrameCodec.Decoded d = FrameCodec.decode(big + "\n" + LOAD);
        assertNull(d.error);
        assertEquals(big, d.lines.get(0).text);
        assertEquals(2, d.lines.size());
    }
}
