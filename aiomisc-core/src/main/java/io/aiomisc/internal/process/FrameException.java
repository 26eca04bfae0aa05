package io.aiomisc.internal.process;

import java.io.IOException;

/** A malformed, unexpected or oversize frame: the connection it came on is closed. */
public final class FrameException extends IOException {
    private static final long serialVersionUID = 1L;

    public FrameException(String message) {
        super(message);
    }
}
