package io.cojson.sync.transport.internal;

import java.util.ArrayList;
import java.util.List;

/** A socket whose state the test sets: readyState, bufferedAmount; records every frame. */
final class FakeSocket implements FrameSocket {
    boolean open;
    long buffered;
    final List<String> frames = new ArrayList<>();
    int closeCode = -1;
    boolean aborted;

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public long bufferedAmount() {
        return buffered;
    }

    @Override
    public boolean sendFrame(String frame) {
        if (!open) throw new AssertionError("frame sent on a socket that is not open");
        frames.add(frame);
        return true;
    }

    @Override
    public void close(int code, String reason) {
        closeCode = code;
        open = false;
    }

    @Override
    public void abort() {
        aborted = true;
        open = false;
    }
}
