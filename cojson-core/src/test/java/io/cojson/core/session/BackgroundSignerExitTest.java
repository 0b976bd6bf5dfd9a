package io.cojson.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.SignerSecret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The background signer never keeps an application alive: a JVM whose main thread wrote a local
 * transaction (starting the signer thread) and returned exits on its own. A child JVM, since only
 * a JVM's exit shows it.
 */
class BackgroundSignerExitTest {
    /** Writes one transaction with background signing on, reports the signer thread, returns. */
    public static final class Child {
        public static void main(String[] args) {
            Crypto crypto = Crypto.create();
            SignerSecret signer = crypto.newRandomSigner();
            SessionLog log = new SessionLog(crypto, SessionID.parse("co_zHRdMQ5p8K5rwDy5HFi2Jf92coa_session_zExit"), crypto.getSignerID(signer));
            for (int i = 0; i < BackgroundSigner.WAKE_BATCH; i++) log.appendTrusting(signer, "[" + i + "]", 1_700_000_000_000L + i, null);
            boolean started = Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("cojson-signer"));
            System.out.println("signer thread started: " + started);
        }
    }

    @Test
    void aJvmThatWroteALocalTransactionExitsWhenItsMainReturns() throws IOException, InterruptedException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Dcojson.backgroundSigning=true", "-cp", cp, Child.class.getName()))
                .redirectErrorStream(true).start();
        try {
            boolean exited = p.waitFor(60, TimeUnit.SECONDS);
            String out = exited ? new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8) : "";
            assertTrue(exited, "the child JVM did not exit within 60 s after its main returned");
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("signer thread started: true"), "non-vacuous: the signer thread ran; output: " + out);
        } finally {
            p.destroyForcibly();
        }
    }
}
