package io.cojson.core.covalue;

import io.cojson.core.ids.KeyID;
import io.cojson.core.ids.KeySecret;
import java.util.Optional;

/** Finds the secret of a group's read key for this node, if it can be revealed (covalues.md §6). */
public interface KeySource {
    Optional<KeySecret> readKey(CoValueCore group, KeyID keyID);
}
