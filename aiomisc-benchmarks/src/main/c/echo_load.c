/* Copied unchanged from shared/bench/echo_load.c (the project's reference benchmark instruments); driven by aiomisc-benchmarks/echo-bench. */
/* echo_load.c - bounded closed-loop TCP echo load generator, LOOPBACK ONLY.
 *
 * Opens C connections to HOST:PORT (HOST must be 127.0.0.0/8 or ::1), then each
 * connection repeatedly sends one SIZE-byte message ('x'...'\n') and waits for the
 * full echo before sending the next (one message in flight per connection).
 * After a WARMUP period (not recorded) it records for DURATION seconds:
 * messages/s, round-trip latency percentiles (1 us buckets up to 1 s), the client's
 * own CPU use, and (with -P PID) the server process's CPU use from /proc/PID/stat.
 * Bounds: total wall time <= connect timeout (30 s) + warmup + duration + 1 s;
 * messages <= -m MAX (default 100M). Single-threaded epoll loop.
 *
 * Build: gcc -O2 -o echo_load echo_load.c
 * Usage: echo_load -p PORT [-h 127.0.0.1] [-c CONNS] [-s SIZE] [-w WARMUP_S] [-d DURATION_S]
 *                  [-m MAX_MSGS] [-P SERVER_PID] [-l LABEL]
 * Output: one line of key=value pairs on stdout.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define HBUCKETS 1000000 /* 1 us resolution up to 1 s; one overflow bucket */
static uint32_t hist[HBUCKETS + 1];

typedef struct { int fd; int got; uint64_t sent_ns; } conn_t;

static uint64_t now_ns(void) {
    struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}
static double cpu_self(void) {
    struct rusage ru; getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}
static double cpu_pid(int pid) { /* utime+stime of the whole process, seconds; -1 if unknown */
    if (pid <= 0) return -1;
    char path[64], buf[4096]; snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r"); if (!f) return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f); fclose(f); buf[n] = 0;
    char *p = strrchr(buf, ')'); if (!p) return -1;
    unsigned long ut = 0, st = 0; int field = 2;
    for (char *t = strtok(p + 1, " "); t; t = strtok(NULL, " ")) {
        field++;
        if (field == 14) ut = strtoul(t, NULL, 10);
        if (field == 15) { st = strtoul(t, NULL, 10); break; }
    }
    return (double)(ut + st) / sysconf(_SC_CLK_TCK);
}
static void stat_cpu(double *busy, double *total) { /* whole machine, seconds summed over CPUs */
    unsigned long long v[8] = {0}; FILE *f = fopen("/proc/stat", "r");
    if (!f || fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 8) { *busy = *total = 0; if (f) fclose(f); return; }
    fclose(f);
    double hz = sysconf(_SC_CLK_TCK);
    *busy = (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / hz; *total = *busy + (v[3] + v[4]) / hz;
}
static double pct(uint64_t total, double q) { /* microseconds */
    if (!total) return 0;
    uint64_t want = (uint64_t)(q * total + 0.5), acc = 0;
    if (want < 1) want = 1;
    for (int i = 0; i <= HBUCKETS; i++) { acc += hist[i]; if (acc >= want) return i; }
    return HBUCKETS;
}

int main(int argc, char **argv) {
    const char *host = "127.0.0.1", *label = "", *ctlfifo = NULL;
    int port = 0, conns = 1, size = 64, opt, spid = 0;
    double warm = 1, dur = 5; uint64_t maxmsgs = 100000000ull;
    while ((opt = getopt(argc, argv, "h:p:c:s:w:d:m:P:l:F:")) != -1) {
        switch (opt) {
        case 'h': host = optarg; break;       case 'p': port = atoi(optarg); break;
        case 'c': conns = atoi(optarg); break; case 's': size = atoi(optarg); break;
        case 'w': warm = atof(optarg); break;  case 'd': dur = atof(optarg); break;
        case 'm': maxmsgs = strtoull(optarg, NULL, 10); break;
        case 'P': spid = atoi(optarg); break;  case 'l': label = optarg; break;
        case 'F': ctlfifo = optarg; break; /* perf stat --control fifo: enable/disable around the window */
        default: return 2;
        }
    }
    if (!port || conns < 1 || conns > 10000 || size < 2 || size > 65536 || dur <= 0 || dur > 600 || warm < 0 || warm > 600) {
        fprintf(stderr, "bad arguments\n"); return 2;
    }
    struct sockaddr_storage ss; socklen_t sl; memset(&ss, 0, sizeof ss);
    struct sockaddr_in *s4 = (void *)&ss; struct sockaddr_in6 *s6 = (void *)&ss;
    if (inet_pton(AF_INET, host, &s4->sin_addr) == 1 && (ntohl(s4->sin_addr.s_addr) >> 24) == 127) {
        s4->sin_family = AF_INET; s4->sin_port = htons(port); sl = sizeof *s4;
    } else if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1 && IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr)) {
        s6->sin6_family = AF_INET6; s6->sin6_port = htons(port); sl = sizeof *s6;
    } else { fprintf(stderr, "refusing non-loopback target %s\n", host); return 2; }

    char *msg = malloc(size); memset(msg, 'x', size); msg[size - 1] = '\n';
    conn_t *cs = calloc(conns, sizeof *cs);
    int ep = epoll_create1(0), one = 1;
    uint64_t t_connect = now_ns();
    for (int i = 0; i < conns; i++) { /* blocking connects: self-paced for small accept backlogs */
        int fd = socket(ss.ss_family, SOCK_STREAM, 0);
        struct timeval tv = {5, 0}; setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        if (connect(fd, (struct sockaddr *)&ss, sl)) { fprintf(stderr, "connect #%d: %s\n", i, strerror(errno)); return 1; }
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        cs[i].fd = fd;
        if (now_ns() - t_connect > 30000000000ull) { fprintf(stderr, "connect phase over 30 s\n"); return 1; }
    }
    double connect_s = (now_ns() - t_connect) / 1e9;
    for (int i = 0; i < conns; i++) {
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = i};
        epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &ev);
        /* switch to non-blocking for reads */
        int on = 1; ioctl(cs[i].fd, FIONBIO, &on);
    }
    FILE *ctl = NULL;
    if (ctlfifo && !(ctl = fopen(ctlfifo, "w"))) { perror("control fifo"); return 1; }
    static char buf[65536];
    struct epoll_event *evs = calloc(1024, sizeof *evs);
    uint64_t t0 = now_ns(), tw = t0 + (uint64_t)(warm * 1e9), tend = tw + (uint64_t)(dur * 1e9);
    uint64_t count = 0, errors = 0; int measuring = warm == 0;
    if (measuring && ctl) { fputs("enable\n", ctl); fflush(ctl); }
    double c_cpu0 = cpu_self(), s_cpu0 = cpu_pid(spid), m_b0, m_t0, m_b1, m_t1;
    stat_cpu(&m_b0, &m_t0);
    for (int i = 0; i < conns; i++) {
        cs[i].sent_ns = now_ns();
        if (write(cs[i].fd, msg, size) != size) { fprintf(stderr, "initial write failed\n"); return 1; }
    }
    uint64_t t = now_ns(), tstart = measuring ? t0 : 0;
    while (t < tend && count < maxmsgs) {
        if (!measuring && t >= tw) {
            measuring = 1; count = 0; memset(hist, 0, sizeof hist);
            if (ctl) { fputs("enable\n", ctl); fflush(ctl); }
            t = tstart = now_ns(); tend = tstart + (uint64_t)(dur * 1e9);
            c_cpu0 = cpu_self(); s_cpu0 = cpu_pid(spid); stat_cpu(&m_b0, &m_t0);
        }
        int n = epoll_wait(ep, evs, 1024, 50);
        if (n < 0) { if (errno == EINTR) { t = now_ns(); continue; } perror("epoll_wait"); return 1; }
        t = now_ns();
        for (int k = 0; k < n; k++) {
            conn_t *c = &cs[evs[k].data.u32];
            ssize_t r = read(c->fd, buf, sizeof buf);
            if (r <= 0) {
                if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
                fprintf(stderr, "connection closed by server\n"); return 1;
            }
            c->got += r;
            if (c->got < size) continue;
            if (c->got > size) errors++; /* more than one message echoed: protocol error */
            c->got = 0;
            if (measuring) {
                uint64_t us = (t - c->sent_ns) / 1000;
                hist[us < HBUCKETS ? us : HBUCKETS]++;
                count++;
            }
            c->sent_ns = t;
            if (write(c->fd, msg, size) != size) { fprintf(stderr, "write failed\n"); return 1; }
        }
    }
    if (ctl) { fputs("disable\n", ctl); fflush(ctl); }
    double secs = (t - tstart) / 1e9;
    double ccpu = cpu_self() - c_cpu0, scpu = spid ? cpu_pid(spid) - s_cpu0 : -1;
    stat_cpu(&m_b1, &m_t1);
    /* cores busy machine-wide minus what client and server used: load from other processes
     * (plus softirq work not charged to either process). */
    double other = (m_t1 > m_t0) ? (m_b1 - m_b0) / secs - ccpu / secs - (scpu > 0 ? scpu / secs : 0) : -1;
    printf("label=%s conns=%d size=%d connect_s=%.3f secs=%.3f msgs=%llu msgs_per_s=%.0f "
           "p50_us=%.0f p90_us=%.0f p99_us=%.0f p999_us=%.0f max_us=%.0f client_cpu=%.2f server_cpu=%.2f other_cpu=%.2f errors=%llu\n",
           label, conns, size, connect_s, secs, (unsigned long long)count, count / secs,
           pct(count, .5), pct(count, .9), pct(count, .99), pct(count, .999), pct(count, 1.0),
           ccpu / secs, scpu >= 0 ? scpu / secs : -1, other, (unsigned long long)errors);
    return 0;
}
