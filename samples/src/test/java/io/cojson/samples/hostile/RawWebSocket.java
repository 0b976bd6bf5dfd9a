package io.cojson.samples.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a bare TCP socket, for hostile tests: it does the upgrade, then writes
 * whatever frames it is told (bad UTF-8, lying lengths) and reads nothing unless asked, so the
 * server's data piles up in its socket buffers like with a client that stopped reading.
 */
final class RawWebSocket implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    /** Connects to 127.0.0.1:{@code port} and upgrades; {@code receiveBuffer} > 0 shrinks the TCP window. */
    static RawWebSocket connect(int port, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) s.setReceiveBufferSize(receiveBuffer);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(10_000);
        RawWebSocket ws = new RawWebSocket(s);
        ws.upgrade(port);
        return ws;
    }

    private void upgrade(int port) throws IOException {
        String req = "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        out.write(req.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) { // the response head only, byte by byte, so no frame is read with it
            int b = in.read();
            if (b < 0) throw new IOException("connection closed during the upgrade: " + head);
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') break;
            if (n > 16_384) throw new IOException("no end of the upgrade response");
        }
        String status = head.toString(StandardCharsets.US_ASCII);
        if (!status.startsWith("HTTP/1.1 101")) throw new IOException("upgrade refused: " + status);
    }

    void sendText(String text) throws IOException {
        sendFrame(0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A frame with any opcode and payload (masked, as a client must). */
    void sendFrame(int opcode, byte[] payload) throws IOException {
        writeHeader(opcode, payload.length);
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        out.write(mask);
        byte[] chunk = new byte[64 * 1024];
        for (int off = 0; off < payload.length; off += chunk.length) {
            int n = Math.min(chunk.length, payload.length - off);
            for (int i = 0; i < n; i++) chunk[i] = (byte) (payload[off + i] ^ mask[(off + i) & 3]);
            out.write(chunk, 0, n);
        }
        out.flush();
    }

    /** Only a frame header announcing {@code length} bytes (and its mask): what a too-large frame needs. */
    void sendHeaderOnly(int opcode, long length) throws IOException {
        writeHeader(opcode, length);
        out.write(new byte[4]);
        out.flush();
    }

    /** A close frame with {@code code} and a raw reason. */
    void sendClose(int code, byte[] reason) throws IOException {
        byte[] p = new byte[2 + reason.length];
        p[0] = (byte) (code >> 8);
        p[1] = (byte) code;
        System.arraycopy(reason, 0, p, 2, reason.length);
        sendFrame(0x8, p);
    }

    /** Reads until the server closes or {@code timeoutMs} passes; returns the bytes read (-1 if none by then). */
    long drainUntilClosed(long timeoutMs) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        long total = 0;
        byte[] buf = new byte[64 * 1024];
        socket.setSoTimeout(200);
        while (System.currentTimeMillis() < deadline) {
            try {
                int n = in.read(buf);
                if (n < 0) return total;
                total += n;
            } catch (java.net.SocketTimeoutException e) {
                // keep waiting until the deadline
            } catch (java.net.SocketException e) {
                return total; // reset by the server
            }
        }
        return -1;
    }

    /** Whether the server has dropped this connection (a write fails once it reset it). */
    boolean serverDropped() {
        try {
            out.write(new byte[] {(byte) 0x89, (byte) 0x80, 0, 0, 0, 0}); // masked empty ping
            out.flush();
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private void writeHeader(int opcode, long length) throws IOException {
        out.write(0x80 | opcode);
        if (length < 126) {
            out.write(0x80 | (int) length);
        } else if (length < 65_536) {
            out.write(0x80 | 126);
            out.write((int) (length >> 8));
            out.write((int) length);
        } else {
            out.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) out.write((int) (length >> (8 * i)));
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
