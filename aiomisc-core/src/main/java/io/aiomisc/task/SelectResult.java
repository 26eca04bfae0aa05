package io.aiomisc.task;

import java.util.AbstractList;
import java.util.Iterator;

/**
 * The outcome of {@link Tasks#select}: which future finished first and with what.
 *
 * <p>Iterating gives one element per selected future: the winner's value at its index and null
 * elsewhere, so {@code var r = select(a, b); Object aValue = r.get(0);} reads like aiomisc's
 * {@code a_value, b_value = await select(a, b)}. An empty result ({@link #done()} false, every
 * element null) means the timeout passed without a winner. Immutable.
 */
public final class SelectResult implements Iterable<Object> {
    private final int size;
    private final int index;
    private final Object value;
    private final boolean exception;

    SelectResult(int size, int index, Object value, boolean exception) {
        this.size = size;
        this.index = index;
        this.value = value;
        this.exception = exception;
    }

    static SelectResult empty(int size) {
        return new SelectResult(size, -1, null, false);
    }

    /** True if some future won; false for the empty result of a timeout. */
    public boolean done() {
        return index >= 0;
    }

    /** The winner's value (its exception when {@link #isException()}), or null if not {@link #done()}. */
    public Object result() {
        return value;
    }

    /** The winner's index in the arguments of {@code select}, or -1 if not {@link #done()}. */
    public int resultIdx() {
        return index;
    }

    /** True if the winner failed and {@link SelectOptions#returnExceptions(boolean)} was set. */
    public boolean isException() {
        return exception;
    }

    /** The number of futures selected over. */
    public int size() {
        return size;
    }

    /** The element at {@code i}: the winner's value at the winner's index, otherwise null. */
    public Object get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("index " + i + " out of bounds for " + size + " selected futures");
        }
        return i == index ? value : null;
    }

    /** True if {@code candidate} is the winner's value (identity, as Python's {@code in}). */
    public boolean contains(Object candidate) {
        return done() && value == candidate;
    }

    @Override
    public Iterator<Object> iterator() {
        return new AbstractList<Object>() {
            @Override
            public Object get(int i) {
                return SelectResult.this.get(i);
            }

            @Override
            public int size() {
                return size;
            }
        }.iterator();
    }

    @Override
    public String toString() {
        if (!done()) {
            return "SelectResult[empty, size=" + size + "]";
        }
        return "SelectResult[index=" + index + ", " + (exception ? "exception=" : "value=") + value + "]";
    }
}
