/**
 * Network services on blocking sockets, one virtual thread per connection:
 * {@link io.aiomisc.net.TcpServer}, {@link io.aiomisc.net.UdpServer},
 * {@link io.aiomisc.net.TlsServer}, {@link io.aiomisc.net.TcpClient},
 * {@link io.aiomisc.net.TlsClient}, the self-reconnecting {@link io.aiomisc.net.RobustTcpClient}
 * and {@link io.aiomisc.net.RobustTlsClient}, the streams they hand to handlers
 * ({@link io.aiomisc.net.StreamReader}, {@link io.aiomisc.net.StreamWriter}), and
 * {@link io.aiomisc.net.Sockets#bindSocket}.
 */
package io.aiomisc.net;
