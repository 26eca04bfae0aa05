package io.aiomisc.nats;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.time.Duration;

/** Creates the pool's streams and its workers' consumer when missing; the same calls on producers and nodes. */
final class Streams {
    /** How long JetStream remembers a task's id to drop a second publish of it (a retried one). */
    static final Duration DUPLICATE_WINDOW = Duration.ofMinutes(10);

    private Streams() {}

    static void ensure(JetStreamManagement management, NatsSettings settings)
            throws IOException, JetStreamApiException {
        add(
                management,
                StreamConfiguration.builder()
                        .name(settings.taskStream())
                        .subjects(settings.taskSubject())
                        .retentionPolicy(RetentionPolicy.WorkQueue)
                        .storageType(StorageType.File)
                        .duplicateWindow(DUPLICATE_WINDOW)
                        .build());
        add(
                management,
                StreamConfiguration.builder()
                        .name(settings.resultStream())
                        .subjects(settings.resultSubject("*"))
                        .retentionPolicy(RetentionPolicy.Limits)
                        .storageType(StorageType.File)
                        .maxAge(NatsSettings.RESULT_RETENTION)
                        .duplicateWindow(DUPLICATE_WINDOW)
                        .build());
        management.addOrUpdateConsumer(
                settings.taskStream(),
                ConsumerConfiguration.builder()
                        .durable(settings.workerConsumer())
                        .filterSubject(settings.taskSubject())
                        .ackPolicy(AckPolicy.Explicit)
                        .ackWait(settings.ackWait())
                        .maxDeliver(settings.maxDeliver())
                        .maxAckPending(100_000)
                        .build());
    }

    private static void add(JetStreamManagement management, StreamConfiguration configuration)
            throws IOException, JetStreamApiException {
        try {
            management.addStream(configuration);
        } catch (JetStreamApiException e) {
            // another process created it first (with settings of its own): use it as it is
            management.getStreamInfo(configuration.getName());
        }
    }
}
