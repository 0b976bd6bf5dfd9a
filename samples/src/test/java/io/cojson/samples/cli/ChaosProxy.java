package io.cojson.samples.cli;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WebSocket proxy on 127.0.0.1 between sync clients and a server that, while faults are on,
 * duplicates and reorders whole data frames in both directions of each connection (a frame held
 * back is sent after the next one, or after {@value #HOLD_MS} ms if none comes). Control frames
 * (close, ping, pong) and fragmented messages pass in order. The proxy strips
 * {@code Sec-WebSocket-Extensions} from the upgrade request, so no compression is negotiated: a
 * compressed frame depends on the ones before it and could not be moved.
 *
 * <p>The upstream port can change (a restarted server); while no server listens, a new client
 * connection waits up to {@value #UPSTREAM_WAIT_MS} ms for one before it is closed, so clients do not
 * climb their reconnection backoff during a short outage. A connection ends on either side's end.
 */
final class ChaosProxy implements AutoCloseable {
    private static final int HOLD_MS = 25;
    private static final int UPSTREAM_WAIT_MS = 8000;

    private final ServerSocket listener;
    private final long seed;
    private volatile int upstreamPort;
    private volatile double duplicateChance;
    private volatile double reorderChance;
    private volatile boolean closed;
    private final AtomicInteger connections = new AtomicInteger();
    final AtomicLong framesForwarded = new AtomicLong();
    final AtomicLong framesDuplicated = new AtomicLong();
    final AtomicLong framesReordered = new AtomicLong();
    private final java.util.Set<Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();

    ChaosProxy(long seed, int upstreamPort) throws IOException {
        this.seed = seed;
        this.upstreamPort = upstreamPort;
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "chaos-proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    String url() {
        return "ws://127.0.0.1:" + listener.getLocalPort();
    }

    void upstreamPort(int port) {
        upstreamPort = port;
    }

    /** Chances per data frame; 0 and 0 turn the faults off (for frames not yet forwarded). */
    void faults(double duplicate, double reorder) {
        duplicateChance = duplicate;
        reorderChance = reorder;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        for (Socket s : open) closeQuietly(s);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                int n = connections.incrementAndGet();
                Thread t = new Thread(() -> serve(client, n), "chaos-proxy-" + n);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed) System.err.println("[chaos-proxy] accept failed: " + e);
            }
        }
    }

    private void serve(Socket client, int n) {
        open.add(client);
        Socket server = null;
        try {
            client.setTcpNoDelay(true);
            server = connectUpstream();
            if (server == null) return;
            open.add(server);
            InputStream clientIn = new java.io.BufferedInputStream(client.getInputStream());
            InputStream serverIn = new java.io.BufferedInputStream(server.getInputStream());
            server.getOutputStream().write(withoutExtensions(readHead(clientIn)));
            client.getOutputStream().write(readHead(serverIn));
            Socket s = server;
            Thread down = pump(serverIn, client, s, new Random(seed * 31 + n * 2L), "down-" + n);
            pump(clientIn, s, client, new Random(seed * 31 + n * 2L + 1), "up-" + n);
            down.join();
        } catch (IOException | InterruptedException e) {
            // a side went away: the connection ends
        } finally {
            closeQuietly(client);
            if (server != null) closeQuietly(server);
            open.remove(client);
            if (server != null) open.remove(server);
        }
    }

    private Socket connectUpstream() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(UPSTREAM_WAIT_MS);
        while (!closed && System.nanoTime() < deadline) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 1000);
                s.setTcpNoDelay(true);
                return s;
            } catch (IOException e) {
                closeQuietly(s);
                Thread.sleep(100);
            }
        }
        return null;
    }

    /** The HTTP head (through the blank line) of an upgrade request or response. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) throw new EOFException("connection ended in the HTTP head");
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > 64 * 1024) throw new IOException("HTTP head too long");
        }
        return head.toByteArray();
    }

    private static byte[] withoutExtensions(byte[] head) {
        StringBuilder out = new StringBuilder();
        for (String line : new String(head, StandardCharsets.ISO_8859_1).split("\r\n", -1)) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("sec-websocket-extensions:")) continue;
            out.append(line).append("\r\n");
        }
        out.setLength(out.length() - 2); // the split's last (empty) element gained a line end
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** One WebSocket frame as read, bytes unchanged (a client's mask included). */
    private record Frame(byte[] raw, int opcode, boolean fin) {
        boolean movable() {
            return fin && (opcode == 1 || opcode == 2);
        }
    }

    private static final Frame END = new Frame(new byte[0], -1, true);

    private static Frame readFrame(DataInputStream in) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        raw.write(b0);
        raw.write(b1);
        long len = b1 & 0x7f;
        if (len == 126) {
            int l = in.readUnsignedShort();
            raw.write(l >>> 8);
            raw.write(l);
            len = l;
        } else if (len == 127) {
            len = in.readLong();
            for (int i = 7; i >= 0; i--) raw.write((int) (len >>> (8 * i)));
        }
        if (len > 256L << 20) throw new IOException("frame of " + len + " bytes");
        byte[] rest = new byte[(int) len + ((b1 & 0x80) != 0 ? 4 : 0)];
        in.readFully(rest);
        raw.write(rest);
        return new Frame(raw.toByteArray(), b0 & 0x0f, (b0 & 0x80) != 0);
    }

    /**
     * Reads frames from {@code in} on one thread and writes them to {@code to} on another, applying
     * the faults; returns the writer thread. Either side's end closes both sockets.
     */
    private Thread pump(InputStream in, Socket to, Socket from, Random random, String name) {
        BlockingQueue<Frame> queue = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            DataInputStream data = new DataInputStream(in);
            try {
                while (true) queue.add(readFrame(data));
            } catch (IOException e) {
                queue.add(END);
            }
        }, "chaos-proxy-read-" + name);
        Thread writer = new Thread(() -> {
            try {
                OutputStream out = to.getOutputStream();
                Frame held = null;
                while (true) {
                    Frame f = queue.poll(held == null ? 1000 : HOLD_MS, TimeUnit.MILLISECONDS);
                    if (f == null) {
                        if (held != null) write(out, held);
                        held = null;
                        if (closed) break;
                        continue;
                    }
                    if (f == END) break;
                    if (!f.movable()) {
                        if (held != null) write(out, held);
                        held = null;
                        write(out, f);
                        continue;
                    }
                    boolean duplicate = random.nextDouble() < duplicateChance;
                    boolean reorder = random.nextDouble() < reorderChance;
                    if (reorder && held == null) { // f goes out after the next frame
                        framesReordered.incrementAndGet();
                        held = f;
                        if (duplicate) { // and a copy right now
                            framesDuplicated.incrementAndGet();
                            write(out, f);
                        }
                        continue;
                    }
                    write(out, f);
                    if (duplicate) {
                        framesDuplicated.incrementAndGet();
                        write(out, f);
                    }
                    if (held != null) write(out, held);
                    held = null;
                }
            } catch (IOException | InterruptedException e) {
                // the other side went away
            } finally {
                closeQuietly(to);
                closeQuietly(from);
            }
        }, "chaos-proxy-write-" + name);
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
        return writer;
    }

    private void write(OutputStream out, Frame f) throws IOException {
        out.write(f.raw());
        out.flush();
        framesForwarded.incrementAndGet();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
