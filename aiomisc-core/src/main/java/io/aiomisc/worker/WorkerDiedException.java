package io.aiomisc.worker;

/**
 * The worker JVM running a task died before the task finished (killed, crashed, or the task called
 * {@code System.exit}). Only that task fails; the pool starts a replacement worker with the same
 * id. aiomisc raises {@code ProcessError("Process <pid> unexpected exited")}.
 */
public final class WorkerDiedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The worker's process id. */
    private final long pid;

    /** The worker's exit status, or -1. */
    private final int exitStatus;

    /**
     * An exception for the task of worker {@code pid}, which exited with {@code exitStatus}.
     *
     * @param pid        the worker's process id
     * @param exitStatus its exit status ({@code 128 + n} for signal {@code n}), or -1 if unknown
     */
    public WorkerDiedException(long pid, int exitStatus) {
        super("worker process " + pid + " died during the task"
                + (exitStatus >= 0 ? " (exit status " + exitStatus + describe(exitStatus) + ")" : ""));
        this.pid = pid;
        this.exitStatus = exitStatus;
    }

    /**
     * An exception for a task whose worker is not a local process: a node of a distributed pool
     * that stopped acknowledging it, as many times as the pool delivers a task. {@link #pid()} and
     * {@link #exitStatus()} are -1.
     *
     * @param message what happened, naming the task
     */
    public WorkerDiedException(String message) {
        super(message);
        this.pid = -1;
        this.exitStatus = -1;
    }

    private static String describe(int exitStatus) {
        return switch (exitStatus) {
            case 137 -> ", SIGKILL";
            case 143 -> ", SIGTERM";
            case 134 -> ", SIGABRT";
            case 139 -> ", SIGSEGV";
            default -> "";
        };
    }

    /**
     * The process id of the worker that died.
     *
     * @return the pid, or -1 for a remote worker
     */
    public long pid() {
        return pid;
    }

    /**
     * The worker's exit status: its {@code System.exit} code, or {@code 128 + n} when signal
     * {@code n} killed it; -1 if it could not be learnt.
     *
     * @return the exit status or -1
     */
    public int exitStatus() {
        return exitStatus;
    }
}
