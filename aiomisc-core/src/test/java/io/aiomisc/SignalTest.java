package io.aiomisc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SignalTest {

    @Test
    void receiversAreCalledInConnectionOrderWithTheArguments() throws Exception {
        Recorder recorder = new Recorder();
        Signal signal = new Signal();
        signal.connect((ep, services) -> recorder.add("first " + services));
        signal.connect((ep, services) -> recorder.add("second " + services));
        Service svc = recorder.service("svc");
        signal.call(null, List.of(svc));
        assertEquals(List.of("first [svc]", "second [svc]"), recorder.events());
    }

    @Test
    void standAloneSignalMayBeCalledWithANullEntrypoint() throws Exception {
        AtomicReference<Object> received = new AtomicReference<>("unset");
        Signal signal = new Signal();
        signal.connect((ep, services) -> received.set(ep));
        signal.call(null, null);
        assertNull(received.get());
    }

    @Test
    void theFirstExceptionStopsTheCall() {
        Recorder recorder = new Recorder();
        IOException failure = new IOException("receiver failed");
        Signal signal = new Signal();
        signal.connect((ep, services) -> {
            throw failure;
        });
        signal.connect((ep, services) -> recorder.add("not called"));
        assertSame(failure, assertThrows(IOException.class, () -> signal.call(null, List.of())));
        assertEquals(List.of(), recorder.events());
    }

    @Test
    void connectingTwiceConnectsOnceAndDisconnectRemoves() throws Exception {
        Recorder recorder = new Recorder();
        Signal signal = new Signal();
        Signal.Receiver receiver = (ep, services) -> recorder.add("called");
        signal.connect(receiver);
        signal.connect(receiver);
        signal.call(null, List.of());
        signal.disconnect(receiver);
        signal.disconnect(receiver);
        signal.call(null, List.of());
        assertEquals(List.of("called"), recorder.events());
    }

    @Test
    void frozenSignalRejectsConnectAndDisconnect() {
        Signal signal = new Signal();
        Signal.Receiver receiver = (ep, services) -> {};
        signal.connect(receiver);
        signal.freeze();
        assertTrue(signal.isFrozen());
        assertThrows(IllegalStateException.class, () -> signal.connect((ep, services) -> {}));
        assertThrows(IllegalStateException.class, () -> signal.disconnect(receiver));
    }

    @Test
    void copyIsIndependentAndUnfrozen() {
        Signal original = new Signal();
        Signal.Receiver a = (ep, services) -> {};
        Signal.Receiver b = (ep, services) -> {};
        original.connect(a);
        original.freeze();
        Signal copy = original.copy();
        copy.connect(b);
        assertEquals(List.of(a), original.receivers());
        assertEquals(List.of(a, b), copy.receivers());
    }

    @Test
    void nullReceiverIsANullPointerException() {
        assertThrows(NullPointerException.class, () -> new Signal().connect(null));
    }
}
