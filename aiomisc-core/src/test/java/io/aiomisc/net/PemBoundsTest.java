package io.aiomisc.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, defect 10: PEM files that are huge, endless, blocking or built to make a parser
 * backtrack are refused quickly, naming the file; real PEM files still load.
 */
class PemBoundsTest {
    /** Far above what a linear parse of the inputs below takes, far below what the old regex took. */
    private static final Duration QUICKLY = Duration.ofSeconds(2);

    private static final String BEGIN_LINE = "-----BEGIN CERTIFICATE-----\n";

    @TempDir
    static Path dir;

    private static TestCertificates pki;

    @BeforeAll
    static void generatePki() {
        pki = TestCertificates.create(dir);
    }

    private static IllegalArgumentException rejected(Path ca) {
        return assertTimeoutPreemptively(
                QUICKLY,
                () -> assertThrows(
                        IllegalArgumentException.class,
                        () -> TlsConfig.builder().ca(ca).build()));
    }

    /** The server's certificate chain as read from its own file. */
    private static List<X509Certificate> chain() {
        List<X509Certificate> chain = Pem.readCertificates("ca", pki.server.chain());
        assertTrue(!chain.isEmpty());
        return chain;
    }

    private static String beginLines(int bytes) {
        return BEGIN_LINE.repeat(bytes / BEGIN_LINE.length());
    }

    @Test
    void quarterMebibyteOfUnclosedBeginLinesIsRejectedInLinearTime() {
        Path hostile = pki.write("begins.pem", beginLines(256 * 1024));

        IllegalArgumentException failure = rejected(hostile);

        assertTrue(failure.getMessage().contains(hostile.toString()), failure.getMessage());
        assertTrue(failure.getMessage().contains("not a PEM file"), failure.getMessage());
        assertTrue(
                failure.getMessage().contains("has no -----END CERTIFICATE----- line"),
                "says what is missing: " + failure.getMessage());
    }

    @Test
    void aCertificateAfterQuarterMebibyteOfUnclosedBeginLinesStillLoads() throws IOException {
        Path padded = pki.write("padded.pem", beginLines(256 * 1024) + Files.readString(pki.server.chain()));

        var certificates = assertTimeoutPreemptively(QUICKLY, () -> Pem.readCertificates("ca", padded));

        assertEquals(chain(), certificates);
    }

    @Test
    void devZeroIsRefusedAtOnceNamingIt() {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.exists(zero), "no /dev/zero here");

        IllegalArgumentException failure = rejected(zero);

        assertTrue(failure.getMessage().startsWith("ca file /dev/zero: "), failure.getMessage());
        assertTrue(failure.getMessage().contains("not a regular file"), failure.getMessage());
    }

    @Test
    void aLinkToADeviceIsRefusedAsTheDevice() throws IOException {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.exists(zero), "no /dev/zero here");
        Path link = Files.createSymbolicLink(dir.resolve("zero-link.pem"), zero);

        IllegalArgumentException failure = rejected(link);

        assertTrue(failure.getMessage().contains(link.toString()), failure.getMessage());
        assertTrue(failure.getMessage().contains("not a regular file"), failure.getMessage());
    }

    @Test
    void aLinkToAPemFileLoads() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("chain-link.pem"), pki.server.chain());

        assertEquals(chain(), Pem.readCertificates("ca", link));
    }

    @Test
    void aFifoIsRefusedAtOnceInsteadOfBlockingUntilAWriterComes() throws Exception {
        Path fifo = dir.resolve("cert.fifo");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException absent) {
            assumeTrue(false, "no mkfifo here: " + absent);
            return;
        }
        assertTrue(mkfifo.waitFor(30, TimeUnit.SECONDS), "mkfifo did not finish");
        assumeTrue(mkfifo.exitValue() == 0, "mkfifo failed");

        IllegalArgumentException failure = rejected(fifo);

        assertTrue(failure.getMessage().contains(fifo.toString()), failure.getMessage());
        assertTrue(failure.getMessage().contains("not a regular file"), failure.getMessage());
    }

    @Test
    void aFileOverTheSizeCapIsRefusedNamingTheLimit() throws IOException {
        String certificate = Files.readString(pki.server.chain());
        StringBuilder text = new StringBuilder(certificate);
        String comment = "# padding, which a PEM parser skips like any text outside a block\n";
        while (text.length() <= Pem.MAX_FILE_BYTES) {
            text.append(comment);
        }
        Path oversized = pki.write("oversized.pem", text.toString());
        assertTrue(Files.size(oversized) > Pem.MAX_FILE_BYTES);

        IllegalArgumentException failure = rejected(oversized);

        assertTrue(failure.getMessage().contains(oversized.toString()), failure.getMessage());
        assertTrue(failure.getMessage().contains(Integer.toString(Pem.MAX_FILE_BYTES)), failure.getMessage());
    }

    @Test
    void aFileExactlyAtTheSizeCapLoads() throws IOException {
        String certificate = Files.readString(pki.server.chain());
        StringBuilder text = new StringBuilder(certificate);
        while (text.length() + 100 <= Pem.MAX_FILE_BYTES) {
            text.append("#".repeat(98)).append('\n');
        }
        text.append("#".repeat(Pem.MAX_FILE_BYTES - text.length() - 1)).append('\n');
        Path atCap = pki.write("at-cap.pem", text.toString());
        assertEquals(Pem.MAX_FILE_BYTES, Files.size(atCap));

        assertEquals(chain(), Pem.readCertificates("ca", atCap));
    }

    @Test
    void beginAndEndLinesWithCarriageReturnsAndSurroundingBlanksStillParse() throws IOException {
        String crlf = Files.readString(pki.server.chain()).replace("\n", "\r\n");
        Path windows = Files.writeString(dir.resolve("crlf.pem"), "\r\n  " + crlf, StandardCharsets.US_ASCII);

        assertEquals(chain(), Pem.readCertificates("ca", windows));
    }
}
