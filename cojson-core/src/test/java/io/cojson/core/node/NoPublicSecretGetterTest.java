package io.cojson.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.groups.ReaderIdentity;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.SealerSecret;
import io.cojson.core.ids.SignerSecret;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * An app holding a node or a typed value cannot get the account's agent secret from it: no public
 * method without arguments of a public class in the node or values packages returns it (or
 * something that carries it). The app's own copy is the credentials it was given at creation.
 */
class NoPublicSecretGetterTest {
    private static final Set<Class<?>> SECRET_CARRIERS = Set.of(AgentSecret.class, SignerSecret.class,
            SealerSecret.class, ReaderIdentity.class);

    @Test
    void noGetterOfNodeOrValuesHandsOutTheAgentSecret() throws Exception {
        List<Class<?>> scanned = new ArrayList<>();
        List<String> leaks = new ArrayList<>();
        for (String pkg : List.of("io.cojson.core.node", "io.cojson.core.values")) {
            for (Class<?> c : publicClasses(pkg)) {
                scanned.add(c);
                for (Method m : c.getMethods()) {
                    if (m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers())
                            && SECRET_CARRIERS.contains(m.getReturnType())) {
                        leaks.add(c.getSimpleName() + "." + m.getName() + "() returns " + m.getReturnType().getSimpleName());
                    }
                }
            }
        }
        assertTrue(scanned.contains(LocalNode.class), "the scan found LocalNode: " + scanned);
        assertTrue(scanned.size() > 10, "the scan found the packages' classes: " + scanned);
        assertEquals(List.of(), leaks);
    }

    private static List<Class<?>> publicClasses(String pkg) throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(LocalNode.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = root.resolve(pkg.replace('.', '/'));
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (!name.endsWith(".class")) continue;
                Class<?> c = Class.forName(pkg + "." + name.substring(0, name.length() - ".class".length()));
                if (Modifier.isPublic(c.getModifiers())) out.add(c);
            }
        }
        return out;
    }
}
