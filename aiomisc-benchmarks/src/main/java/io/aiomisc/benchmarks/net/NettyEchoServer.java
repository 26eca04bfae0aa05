package io.aiomisc.benchmarks.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The Netty 4 side of the TCP echo comparison ({@code aiomisc-benchmarks/echo-bench}): the usual
 * fast Netty 4.2 echo server. The native epoll transport when it loads (else NIO), one event-loop
 * thread for both accepting and the connections (so that it is comparable on one pinned CPU),
 * {@code TCP_NODELAY}, pooled direct buffers; {@code channelRead} writes the buffer back as it is
 * and {@code channelReadComplete} flushes, so one read batch costs one {@code writev}.
 *
 * <p>Usage: {@code NettyEchoServer [PORT]} (default 0: an ephemeral port). Listens on 127.0.0.1,
 * prints {@code READY <port>} on stdout once listening (then {@code TRANSPORT epoll|nio} on
 * stderr), and runs until SIGTERM/SIGINT.
 */
public final class NettyEchoServer {
    /** Writes every buffer back; flushes once per read batch. */
    @ChannelHandler.Sharable
    static final class EchoHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** A started server: its event loop and listening channel. */
    record Running(EventLoopGroup group, Channel channel, String transport) implements AutoCloseable {
        int port() {
            return ((InetSocketAddress) channel.localAddress()).getPort();
        }

        @Override
        public void close() {
            channel.close().syncUninterruptibly();
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private NettyEchoServer() {}

    /** Binds 127.0.0.1:{@code port} and starts serving. */
    static Running start(int port) throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType =
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, factory);
        try {
            Channel channel = new ServerBootstrap()
                    .group(group)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    .childHandler(new EchoHandler())
                    .bind("127.0.0.1", port)
                    .sync()
                    .channel();
            return new Running(group, channel, epoll ? "epoll" : "nio");
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        Running server = start(port);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "netty-echo-shutdown"));
        System.out.println("READY " + server.port());
        System.out.flush();
        if (!"epoll".equals(server.transport())) {
            System.err.println("TRANSPORT nio (native epoll unavailable: " + Epoll.unavailabilityCause() + ")");
        } else {
            System.err.println("TRANSPORT epoll");
        }
        server.channel().closeFuture().sync();
    }
}
