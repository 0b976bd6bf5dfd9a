package io.cojson.core.values;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's "Using the core" example, compiled and run; a second test keeps the two in sync. */
class ReadmeExampleTest {
    @Test
    void readmeExample() {
        CojsonNode alice = CojsonNode.createAccount("Alice");
        CojsonNode bob = CojsonNode.createAccount("Bob");
        alice.importContent(bob.exportContent(bob.accountID()));        // accounts first: now Alice can add Bob

        Group team = alice.createGroup();
        team.addMember(bob.accountID(), Role.WRITER);

        CoMap todo = team.createMap();                                  // owned by the group: edits are encrypted
        todo.set("title", "Groceries").set("done", false);
        CoList items = team.createList();
        items.append("milk").append("eggs");
        items.insert(1, JsonValue.of("bread"));                         // ["milk","bread","eggs"]
        todo.set("items", items);                                       // a reference: the list's ID

        List<String> titles = new ArrayList<>();
        try (Subscription s = todo.subscribe(m -> titles.add(m.getString("title")))) {
            todo.set("title", "Weekend groceries");                     // the listener sees the new title
        }

        bob.importContent(alice.exportContent(todo.id()));              // with its group and Alice's account
        bob.importContent(alice.exportContent(items.id()));
        CoMap bobsTodo = bob.map(todo.id());
        String title = bobsTodo.getString("title");                     // "Weekend groceries"
        JsonValue.Arr list = bob.list(new RawCoID(bobsTodo.getString("items"))).toJson();
        bobsTodo.set("done", true);                                     // Bob is a writer
        alice.importContent(bob.exportContent(todo.id()));              // now todo.get("done") is true

        // ---- end of the README snippet ----
        assertEquals(List.of("Weekend groceries"), titles);
        assertEquals("Weekend groceries", title);
        assertEquals("[\"milk\",\"bread\",\"eggs\"]", list.toString());
        assertEquals(JsonValue.TRUE, todo.get("done"));
    }

    @Test
    void snippetMatchesTheReadme() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String section = readme.substring(readme.indexOf("## Using the core"));
        String snippet = section.substring(section.indexOf("```java\n") + 8);
        snippet = snippet.substring(0, snippet.indexOf("```"));
        List<String> expected = trimmedLines(snippet);
        List<String> source = trimmedLines(Files.readString(
                Path.of("src", "test", "java", "io", "cojson", "core", "values", "ReadmeExampleTest.java")));
        assertTrue(expected.size() > 10, "found the README snippet");
        assertTrue(Collections.indexOfSubList(source, expected) >= 0, "README snippet and readmeExample() differ");
    }

    private static List<String> trimmedLines(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) out.add(line.trim());
        }
        return out;
    }
}
