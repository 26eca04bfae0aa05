package io.aiomisc.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** The first datagrams: sd_notify lines and one journal record, to sockets the test binds. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SystemdSmokeTest {
    @Test
    void notifyLinesAndAJournalRecordArriveAsDatagrams(@TempDir Path dir) throws Exception {
        Path notifyPath = dir.resolve("notify");
        Path journalPath = dir.resolve("journal");
        try (AFUNIXDatagramSocket notifyReceiver = AFUNIXDatagramSocket.newInstance();
                AFUNIXDatagramSocket journalReceiver = AFUNIXDatagramSocket.newInstance()) {
            notifyReceiver.bind(AFUNIXSocketAddress.of(notifyPath));
            journalReceiver.bind(AFUNIXSocketAddress.of(journalPath));
            notifyReceiver.setSoTimeout(10_000);
            journalReceiver.setSoTimeout(10_000);

            try (SdNotify notify = SdNotify.connect(notifyPath.toString())) {
                notify.send("READY=1", "STATUS=Serving");
            }
            assertEquals("READY=1\nSTATUS=Serving", receive(notifyReceiver));

            ByteArrayOutputStream fallback = new ByteArrayOutputStream();
            JournaldAppender appender =
                    new JournaldAppender(journalPath, "smoke", new PrintStream(fallback, true, StandardCharsets.UTF_8));
            LoggerContext context = new LoggerContext();
            context.setMDCAdapter(new LogbackMDCAdapter());
            appender.setContext(context);
            appender.start();
            try {
                LoggingEvent event = new LoggingEvent(
                        SystemdSmokeTest.class.getName(),
                        context.getLogger("smoke.logger"),
                        Level.WARN,
                        "disk almost full",
                        null,
                        null);
                event.setThreadName("main-thread");
                event.setCallerData(
                        new StackTraceElement[] {new StackTraceElement("io.aiomisc.Smoke", "check", "Smoke.java", 42)});
                appender.doAppend(event);
            } finally {
                appender.stop();
            }
            assertEquals(
                    "MESSAGE=disk almost full\nPRIORITY=4\nSYSLOG_IDENTIFIER=smoke\nCODE_FILE=Smoke.java\n"
                            + "CODE_LINE=42\nCODE_FUNC=io.aiomisc.Smoke.check\nLOGGER=smoke.logger\n"
                            + "THREAD=main-thread\n",
                    receive(journalReceiver, fallback));
            assertEquals("", fallback.toString(StandardCharsets.UTF_8));
        }
    }

    private static String receive(AFUNIXDatagramSocket socket, ByteArrayOutputStream fallback) throws Exception {
        try {
            return receive(socket);
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("nothing arrived; the fallback stream has: " + fallback, e);
        }
    }

    private static String receive(AFUNIXDatagramSocket socket) throws Exception {
        byte[] buffer = new byte[65536];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.receive(packet);
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
    }
}
