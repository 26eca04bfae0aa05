/* Copied unchanged from shared/bench/echo_epoll.c (the project's reference benchmark instruments); driven by aiomisc-benchmarks/echo-bench. */
/* echo_epoll.c - minimal single-threaded epoll TCP echo server (reference).
 * Binds to a loopback address only. Echoes bytes as they arrive.
 * Build: gcc -O2 -o echo_epoll echo_epoll.c
 * Usage: echo_epoll PORT [ADDR=127.0.0.1]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAXEV 1024
#define BUFSZ 65536

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s PORT [127.x.x.x]\n", argv[0]); return 2; }
    const char *addr = argc > 2 ? argv[2] : "127.0.0.1";
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1]))};
    if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1 || (ntohl(sa.sin_addr.s_addr) >> 24) != 127) {
        fprintf(stderr, "refusing non-loopback address %s\n", addr); return 2;
    }
    int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(ls, (struct sockaddr *)&sa, sizeof sa) || listen(ls, 4096)) { perror("bind/listen"); return 1; }
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = ls}, evs[MAXEV];
    epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
    static char buf[BUFSZ];
    fprintf(stderr, "echo_epoll listening on %s:%s\n", addr, argv[1]);
    for (;;) {
        int n = epoll_wait(ep, evs, MAXEV, -1);
        if (n < 0) { if (errno == EINTR) continue; perror("epoll_wait"); return 1; }
        for (int i = 0; i < n; i++) {
            int fd = evs[i].data.fd;
            if (fd == ls) {
                int c;
                while ((c = accept4(ls, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    struct epoll_event cev = {.events = EPOLLIN, .data.fd = c};
                    epoll_ctl(ep, EPOLL_CTL_ADD, c, &cev);
                }
                continue;
            }
            ssize_t r = read(fd, buf, BUFSZ);
            if (r <= 0) {
                if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
                close(fd); /* also removes it from the epoll set */
                continue;
            }
            /* Echo. The closed-loop client keeps far less than a socket buffer in flight,
             * so a short write is not expected; if it happens we block briefly to finish. */
            ssize_t off = 0;
            while (off < r) {
                ssize_t w = write(fd, buf + off, r - off);
                if (w > 0) { off += w; continue; }
                if (w < 0 && (errno == EAGAIN || errno == EINTR)) { usleep(50); continue; }
                close(fd); break;
            }
        }
    }
}
