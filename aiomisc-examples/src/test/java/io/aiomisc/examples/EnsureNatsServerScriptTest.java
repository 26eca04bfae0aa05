package io.aiomisc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/ensure-nats-server} (run by bin/run-tests) with a fake PATH: fake {@code apt-get},
 * {@code id}, {@code sudo} and {@code pgrep} that record what they were asked, so nothing is installed.
 */
class EnsureNatsServerScriptTest {
    private static final Path SCRIPT =
            Path.of("..", "bin", "ensure-nats-server").toAbsolutePath().normalize();
    private static final String MANUAL = "sudo apt-get update && sudo apt-get install -y nats-server";

    @TempDir
    Path directory;

    /** apt-get: "install" fails until "update" ran (when {@code staleLists}), then puts a nats-server in bin. */
    private Path fakeBin(String uid, boolean sudo, boolean aptGet, boolean staleLists, String runningPids)
            throws IOException {
        Path bin = Files.createDirectories(directory.resolve("bin"));
        Path calls = directory.resolve("calls");
        for (String tool : List.of("env", "head", "tr", "true")) {
            Files.createSymbolicLink(bin.resolve(tool), Path.of("/usr/bin", tool));
        }
        script(bin.resolve("id"), "echo " + uid);
        script(bin.resolve("pgrep"), runningPids.isEmpty() ? "exit 1" : "echo " + runningPids);
        if (sudo) {
            script(bin.resolve("sudo"), "echo \"sudo $*\" >> " + calls + "\n[ \"$1\" = -n ] && shift\nexec \"$@\"");
        }
        if (aptGet) {
            Path updated = directory.resolve("updated");
            script(
                    bin.resolve("apt-get"),
                    "echo \"apt-get $*\" >> " + calls + "\n"
                            + "case \"$1\" in\n"
                            + "  update) : > " + updated + " ;;\n"
                            + "  install)\n"
                            + (staleLists ? "    [ -e " + updated + " ] || exit 100\n" : "")
                            + "    printf '#!/bin/bash\\necho \"nats-server: v2.9.10\"\\n' > " + bin + "/nats-server\n"
                            + "    /bin/chmod +x " + bin + "/nats-server ;;\n"
                            + "esac");
        }
        return bin;
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/bash\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private List<String> calls() throws IOException {
        Path calls = directory.resolve("calls");
        return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
    }

    private record Result(int status, String output) {}

    private Result run(Path bin) throws IOException, InterruptedException {
        Path emptySbin = Files.createDirectories(directory.resolve("sbin"));
        ProcessBuilder builder = new ProcessBuilder("/bin/bash", SCRIPT.toString()).redirectErrorStream(true);
        builder.environment().put("PATH", bin.toString());
        builder.environment().put("ENSURE_NATS_SERVER_SBIN", emptySbin.toString());
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "bin/ensure-nats-server did not end");
        return new Result(process.exitValue(), output);
    }

    @Test
    void whenNatsServerIsOnThePathItDoesNothingAndPrintsNothing() throws Exception {
        Path bin = fakeBin("0", true, true, false, "");
        script(bin.resolve("nats-server"), "echo should not run; exit 3");
        Result result = run(bin);
        assertEquals(0, result.status(), result.output());
        assertEquals("", result.output());
        assertEquals(List.of(), calls());
    }

    @Test
    void asRootItInstallsThePackageUpdatingTheListsWhenTheFirstInstallFails() throws Exception {
        Path bin = fakeBin("0", false, true, true, "");
        Result result = run(bin);
        assertEquals(0, result.status(), result.output());
        assertEquals(
                List.of("apt-get install -y -q nats-server", "apt-get update -q", "apt-get install -y -q nats-server"),
                calls());
        assertTrue(result.output().contains("ensure-nats-server: apt-get install -y nats-server"), result.output());
        assertTrue(result.output().contains("updating the package lists first"), result.output());
        assertTrue(
                result.output().contains("installed " + bin.resolve("nats-server") + " (nats-server: v2.9.10)"),
                result.output());
        assertFalse(result.output().contains("system nats-server"), result.output());
    }

    @Test
    void asAnotherUserItInstallsThroughSudoAndNamesADaemonThePackageStarted() throws Exception {
        Path bin = fakeBin("1000", true, true, false, "4242");
        Result result = run(bin);
        assertEquals(0, result.status(), result.output());
        assertEquals(
                List.of(
                        "sudo -n true",
                        "sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nats-server",
                        "apt-get install -y -q nats-server"),
                calls());
        assertTrue(
                result.output().contains("ensure-nats-server: sudo -n apt-get install -y nats-server"),
                result.output());
        assertTrue(result.output().contains("the package started a system nats-server (pids 4242"), result.output());
        assertTrue(result.output().contains("sudo systemctl disable --now nats-server"), result.output());
    }

    @Test
    void withoutRootOrSudoItFailsWithTheCommandToRunByHand() throws Exception {
        Result result = run(fakeBin("1000", false, true, false, ""));
        assertEquals(1, result.status(), result.output());
        assertTrue(result.output().contains("installing it needs root"), result.output());
        assertTrue(result.output().contains(MANUAL), result.output());
        assertEquals(List.of(), calls());
    }

    @Test
    void withoutAptGetItFailsWithTheCommandToRunByHand() throws Exception {
        Result result = run(fakeBin("0", false, false, false, ""));
        assertEquals(1, result.status(), result.output());
        assertTrue(result.output().contains("there is no apt-get here"), result.output());
        assertTrue(result.output().contains(MANUAL), result.output());
    }
}
