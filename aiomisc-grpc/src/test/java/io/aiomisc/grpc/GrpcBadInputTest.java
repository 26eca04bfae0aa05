package io.aiomisc.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bad input: a port in use, a port out of range, a second start. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrpcBadInputTest {
    @Test
    void aPortInUseFailsTheStartNamingTheAddressAndLeavesNothingBound() throws Exception {
        int port;
        GrpcService service;
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            port = taken.getLocalPort();
            service = new GrpcService("127.0.0.1", port).addService(new GtGreeter());
            IOException e = assertThrows(IOException.class, service::start);
            assertTrue(e.getMessage().contains("grpc://127.0.0.1:" + port), e.getMessage());
        }
        // the service holds nothing: the port binds again (and the leak check finds no thread)
        GrpcStopTest.assertPortFree(port);
        IllegalStateException notRunning = assertThrows(IllegalStateException.class, service::localAddress);
        assertTrue(notRunning.getMessage().contains("not running"), notRunning.getMessage());
    }

    @Test
    void aPortOutOfRangeIsRejectedAtConstructionNamingIt() {
        IllegalArgumentException negative =
                assertThrows(IllegalArgumentException.class, () -> new GrpcService("127.0.0.1", -1));
        assertTrue(
                negative.getMessage().contains("port") && negative.getMessage().contains("-1"), negative.getMessage());
        IllegalArgumentException tooHigh =
                assertThrows(IllegalArgumentException.class, () -> new GrpcService("127.0.0.1", 65536));
        assertTrue(
                tooHigh.getMessage().contains("port") && tooHigh.getMessage().contains("65536"), tooHigh.getMessage());
    }

    @Test
    void aSecondStartWithoutAStopIsRejected() throws Exception {
        GrpcService service = new GrpcService("127.0.0.1", 0).addService(new GtGreeter());
        service.start();
        try {
            int port = service.localAddress().getPort();
            IllegalStateException e = assertThrows(IllegalStateException.class, service::start);
            assertTrue(e.getMessage().contains("running already"), e.getMessage());
            assertEquals(port, service.localAddress().getPort(), "the second start changed the running server");
        } finally {
            service.stop(null);
        }
    }
}
