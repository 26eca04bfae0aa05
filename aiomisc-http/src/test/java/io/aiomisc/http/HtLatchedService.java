package io.aiomisc.http;

import io.aiomisc.Service;
import java.util.concurrent.CountDownLatch;

/** A service whose {@code start()} blocks until the test releases it. */
final class HtLatchedService extends Service {
    /** Counted down when {@code start()} has begun. */
    final CountDownLatch starting = new CountDownLatch(1);
    /** The test counts it down to let {@code start()} return. */
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void start() throws InterruptedException {
        starting.countDown();
        release.await();
    }
}
