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

    /**
     * Whether some future won.
     *
     * @return true if some future won; false for the empty result of a timeout
     */
    public boolean done() {
        return index >= 0;
    }

    /**
     * The winner's value.
     *
     * @return the winner's value (its exception when {@link #isException()}), or null if not
     *         {@link #done()}
     */
    public Object result() {
        return value;
    }

    /**
     * Which future won (aiomisc's {@code result_idx}).
     *
     * @return the winner's index in the arguments of {@code select}, or -1 if not {@link #done()}
     */
    public int resultIdx() {
        return index;
    }

    /**
     * Whether {@link #result()} is the winner's exception.
     *
     * @return true if the winner failed and {@link SelectOptions#returnExceptions(boolean)} was set
     */
    public boolean isException() {
        return exception;
    }

    /**
     * The number of futures selected over: the number of elements when iterating.
     *
     * @return the number of futures passed to {@code select}
     */
    public int size() {
        return size;
    }

    /**
     * The element at {@code i}: the winner's value at the winner's index, otherwise null.
     *
     * @param i the index of a future in the arguments of {@code select}
     * @return the winner's value if {@code i} is the winner's index, else null
     * @throws IndexOutOfBoundsException if {@code i} is not in [0, {@link #size()})
     */
    public Object get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("index " + i + " out of bounds for " + size + " selected futures");
        }
        return i == index ? value : null;
    }

    /**
     * Whether {@code candidate} is the winner's value, compared by identity (as Python's {@code in}
     * on the result tuple compares the selected objects).
     *
     * @param candidate the object to look for; may be null
     * @return true if some future won and its value is {@code candidate} itself
     */
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
