package io.cojson.storage.engine.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * How the store opens the channels whose {@code force} calls make commits durable (data file,
 * journal, directories). Production uses {@link FileChannel#open}; the power-loss durability test
 * installs a recording wrapper to prove the order of writes, forces and acknowledgements.
 */
@FunctionalInterface
interface ChannelOpener {
    FileChannel open(Path path, OpenOption... options) throws IOException;

    ChannelOpener DEFAULT = FileChannel::open;
}
