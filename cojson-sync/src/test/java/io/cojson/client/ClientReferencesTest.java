package io.cojson.client;

import static io.cojson.client.ClientTestSupport.eventually;
import static io.cojson.client.ClientTestSupport.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.json.JsonValue;
import io.cojson.core.values.CoList;
import io.cojson.core.values.CoMap;
import io.cojson.core.values.Group;
import io.cojson.core.values.Role;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Typed references (a map's field, a list's item) and subscriptions that follow them to a depth. */
class ClientReferencesTest {
    @TempDir
    Path tmp;

    @Test
    void referencesLoadTypedAndDeepSubscriptionsFollowThem() throws Exception {
        try (TestSyncServer server = new TestSyncServer(tmp.resolve("server"));
                CojsonClient owner = client("owner", server);
                CojsonClient reader = client("reader", server);
                CojsonClient shallow = client("shallow", server)) {
            owner.createAccount("Owner");
            reader.createAccount("Reader");
            shallow.createAccount("Shallow");
            Group g = owner.node().createGroup();
            g.addMember(Group.EVERYONE, Role.READER);
            CoMap tag = g.createMap().set("title", "urgent");                       // depth 2
            CoList tags = g.createList().append(JsonValue.of(tag.id().value()));   // depth 1
            CoMap todo = g.createMap().set("tags", tags).set("text", "ship it");     // depth 0
            get(owner.waitForSync());

            CoMap readersTodo = get(reader.load(todo.id(), LoadMode.LOCAL_FIRST, CoMap.class));
            assertFalse(reader.node().has(tag.id()));
            List<String> seen = new CopyOnWriteArrayList<>();
            try (var sub = reader.subscribe(readersTodo, 2, t -> {
                if (reader.node().has(tag.id())) seen.add(reader.node().map(tag.id()).getString("title"));
            })) {
                eventually(Duration.ofSeconds(10), "the subscription loads what the value references, two levels deep",
                        () -> reader.node().has(tag.id()) && seen.contains("urgent"));
                tag.set("title", "very urgent"); // a change two references away
                eventually(Duration.ofSeconds(10), "the listener hears of it", () -> seen.contains("very urgent"));
            }

            CoList loadedTags = get(reader.loadRef(readersTodo, "tags", CoList.class));
            assertEquals(tags.id(), loadedTags.id());
            assertEquals("very urgent", get(reader.loadRef(loadedTags, 0, CoMap.class)).getString("title"));
            ExecutionException notARef = assertThrows(ExecutionException.class, () -> get(reader.loadRef(readersTodo, "text", CoMap.class)));
            assertInstanceOf(UnavailableException.class, notARef.getCause());
            assertTrue(notARef.getCause().getMessage().contains("field text"), notARef.getCause().getMessage());

            // depth 1: the list is followed, the tag it references is not loaded
            CoMap shallowTodo = get(shallow.load(todo.id(), LoadMode.LOCAL_FIRST, CoMap.class));
            try (var sub = shallow.subscribe(shallowTodo, 1, t -> { })) {
                eventually(Duration.ofSeconds(10), "the list is loaded", () -> shallow.node().has(tags.id()));
                todo.set("text", "ship it now");
                eventually(Duration.ofSeconds(10), "the todo's change arrives",
                        () -> "ship it now".equals(shallowTodo.getString("text")));
                assertFalse(shallow.node().has(tag.id()), "a value beyond the depth was loaded");
            }
        }
    }

    private CojsonClient client(String dir, TestSyncServer server) {
        return CojsonClient.builder().dataDirectory(tmp.resolve(dir)).syncServer(server.url()).timeout(Duration.ofSeconds(20)).build();
    }
}
