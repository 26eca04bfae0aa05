package io.aiomisc.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.aiomisc.Entrypoint;
import io.aiomisc.Service;
import io.aiomisc.dependency.Dependencies;
import io.aiomisc.dependency.Inject;
import io.aiomisc.net.TcpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

@AiomiscTest(timeout = "PT20S")
class SmokeTest {
    @UnusedPort
    int port;

    @Services
    List<Service> services(@Localhost String host) {
        return List.of(TcpServer.create(host, port, (reader, writer) -> {
            byte[] line;
            while ((line = reader.readLine()).length > 0) {
                writer.write(line);
            }
        }));
    }

    @Test
    void echoesThroughTheProxy(Entrypoint entrypoint, @Localhost String host) throws Exception {
        assertSame(entrypoint, Entrypoint.current());
        try (TcpProxy proxy = new TcpProxy(host, port).start();
                Socket socket = proxy.createClient()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("hello\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("hello\n", new String(in.readNBytes(6), StandardCharsets.UTF_8));
            assertEquals(1, proxy.clientCount());
            proxy.disconnectAll();
            assertEquals(-1, in.read());
        }
    }

    static final class Holder extends Service {
        @Inject
        StringBuilder db;

        @Override
        public void start() {}
    }

    @Test
    void injectsDependencies() throws Exception {
        Dependencies dependencies = new Dependencies()
                .register("config", resolved -> "cfg")
                .register(
                        "db",
                        resolved -> new StringBuilder(resolved.<String>get("config")),
                        sb -> sb.append("-closed"));
        Holder holder = new Holder();
        StringBuilder seen;
        try (Entrypoint entrypoint = Entrypoint.builder()
                .dependencies(dependencies)
                .services(holder)
                .logConfig(false)
                .catchSignals(false)
                .start()) {
            seen = holder.db;
            assertEquals("cfg", seen.toString());
            assertEquals(List.of("config", "db"), entrypoint.dependencies().created());
        }
        assertEquals("cfg-closed", seen.toString());
    }
}
