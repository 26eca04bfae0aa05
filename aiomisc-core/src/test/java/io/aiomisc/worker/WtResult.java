package io.aiomisc.worker;

import java.io.Serializable;

/** A task's value and the pid of the worker that computed it. */
record WtResult(long value, long pid) implements Serializable {}
