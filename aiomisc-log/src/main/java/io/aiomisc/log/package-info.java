/**
 * Logging for aiomisc-java, on Logback: {@link io.aiomisc.log.LogConfig#basicConfig} with aiomisc's
 * formats ({@link io.aiomisc.log.LogFormat}), buffered output written by a background thread
 * ({@link io.aiomisc.log.BufferedAppender}), and the entrypoint's {@code log*} options, which this
 * module applies when it is on the class path.
 */
package io.aiomisc.log;
