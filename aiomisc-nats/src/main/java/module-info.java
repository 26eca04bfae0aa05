/**
 * aiomisc-java's worker pool across machines: {@link io.aiomisc.nats.DistributedWorkerPool} and
 * {@link io.aiomisc.nats.WorkerNode} on NATS JetStream.
 */
module io.aiomisc.nats {
    requires transitive io.aiomisc.core;
    requires transitive io.nats.jnats;

    exports io.aiomisc.nats;
}
