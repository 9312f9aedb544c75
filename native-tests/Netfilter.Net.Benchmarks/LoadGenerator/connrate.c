/*
 * connrate: a load generator for new TCP connections per second, and its server.
 *
 * The data-plane benchmark (DataPlaneSuite.cs) compiles this file with the machine's gcc and
 * runs it inside test namespaces (ip netns exec). It exists because a client that opens one
 * connection at a time through .NET tops out far below what the kernel can forward, which hides
 * the per-connection cost of NAT rules. Here one thread keeps CONCURRENCY non-blocking
 * connections in flight with epoll.
 *
 *   connrate server ADDR PORT
 *       Accepts and immediately closes every connection (the close sends the FIN the client
 *       waits for). Prints "ready" once listening; on SIGTERM/SIGINT prints "accepted=N".
 *
 *   connrate client ADDR PORT SECONDS CONCURRENCY [SOURCE[,SOURCE...]]
 *       For SECONDS, opens connections to ADDR:PORT, CONCURRENCY at a time. A connection counts
 *       as completed when the server's FIN arrives (proof that the server accepted it), then it
 *       is closed with SO_LINGER 0: a RST, so no TIME_WAIT is left on either side and source
 *       ports are never exhausted. SOURCE addresses, if given, are used in turn
 *       (IP_BIND_ADDRESS_NO_PORT: the kernel still picks the port at connect time). A connection
 *       unanswered after 1 s is abandoned and counted as timedout. Prints one line:
 *       completed=N failed=N refused=N addrnotavail=N timedout=N inflight=N seconds=S rate=R cpu=C
 *       where C is the CPU time the client used (CLOCK_PROCESS_CPUTIME_ID, seconds): its own work
 *       and the kernel's, including the packet path through the namespaces that the kernel runs
 *       in the sender's context (softirq on the way out of a veth).
 *
 * IPv4 only. Exit status 0, or 2 on bad usage, 1 when a system call fails outright.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24 /* uapi linux/in.h */
#endif

#define MAX_SOURCES 64
#define MAX_EVENTS 1024
#define CONNECT_TIMEOUT_NS 1000000000LL

static volatile sig_atomic_t stop_requested;

static void on_signal(int signo) { (void)signo; stop_requested = 1; }

static long long clock_ns(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long now_ns(void) { return clock_ns(CLOCK_MONOTONIC); }

static void die(const char *what)
{
    fprintf(stderr, "connrate: %s: %s\n", what, strerror(errno));
    exit(1);
}

static int parse_endpoint(const char *addr, const char *port, struct sockaddr_in *out)
{
    memset(out, 0, sizeof(*out));
    out->sin_family = AF_INET;
    char *end;
    long p = strtol(port, &end, 10);
    if (*end != '\0' || p < 1 || p > 65535 || inet_pton(AF_INET, addr, &out->sin_addr) != 1)
        return -1;
    out->sin_port = htons((unsigned short)p);
    return 0;
}

static int server(const struct sockaddr_in *listen_on)
{
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (listener < 0) die("socket");
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(listener, (const struct sockaddr *)listen_on, sizeof(*listen_on)) < 0) die("bind");
    if (listen(listener, 4096) < 0) die("listen");
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) die("epoll_create1");
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = listener };
    if (epoll_ctl(ep, EPOLL_CTL_ADD, listener, &ev) < 0) die("epoll_ctl");
    printf("ready\n");
    fflush(stdout);
    unsigned long long accepted = 0;
    struct epoll_event events[4];
    while (!stop_requested) {
        int n = epoll_wait(ep, events, 4, 100);
        if (n < 0 && errno != EINTR) die("epoll_wait");
        for (int i = 0; i < n; i++) {
            for (;;) {
                int c = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
                if (c < 0) {
                    if (errno == EAGAIN || errno == EINTR || errno == ECONNABORTED) break;
                    if (errno == EMFILE || errno == ENFILE) break;
                    die("accept4");
                }
                accepted++;
                close(c);
            }
        }
    }
    printf("accepted=%llu\n", accepted);
    return 0;
}

struct counters {
    unsigned long long completed, failed, refused, addrnotavail, timedout;
};

static int client(const struct sockaddr_in *target, double seconds, int concurrency,
                  const struct sockaddr_in *sources, int source_count)
{
    struct rlimit limit = { .rlim_cur = (rlim_t)concurrency + 64, .rlim_max = (rlim_t)concurrency + 64 };
    struct rlimit current;
    if (getrlimit(RLIMIT_NOFILE, &current) == 0 && current.rlim_max != RLIM_INFINITY && current.rlim_max > limit.rlim_max)
        limit.rlim_max = current.rlim_max;
    if (getrlimit(RLIMIT_NOFILE, &current) == 0 && current.rlim_cur < limit.rlim_cur && setrlimit(RLIMIT_NOFILE, &limit) < 0)
        die("setrlimit(RLIMIT_NOFILE)");

    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) die("epoll_create1");
    /* Start time of the connection on each descriptor; 0 when the descriptor is not ours. */
    size_t slots = (size_t)concurrency + 64 + 1024;
    long long *started = calloc(slots, sizeof(long long));
    if (!started) die("calloc");
    struct counters c = { 0 };
    int inflight = 0, next_source = 0;
    struct linger abort_on_close = { .l_onoff = 1, .l_linger = 0 };
    struct epoll_event events[MAX_EVENTS];
    char byte;
    long long cpu_begin = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    long long begin = now_ns();
    long long end = begin + (long long)(seconds * 1e9);
    long long next_sweep = begin + 100000000LL;
    long long now = begin;

    while (now < end) {
        while (inflight < concurrency) {
            int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (fd < 0) die("socket");
            if ((size_t)fd >= slots) { errno = EMFILE; die("descriptor beyond the slot table"); }
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof(abort_on_close));
            if (source_count > 0) {
                int one = 1;
                setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
                if (bind(fd, (const struct sockaddr *)&sources[next_source], sizeof(sources[0])) < 0) die("bind");
                next_source = (next_source + 1) % source_count;
            }
            if (connect(fd, (const struct sockaddr *)target, sizeof(*target)) < 0 && errno != EINPROGRESS) {
                if (errno == EADDRNOTAVAIL) c.addrnotavail++;
                else if (errno == ECONNREFUSED) c.refused++;
                else c.failed++;
                close(fd);
                now = now_ns();
                if (now >= end) break;
                continue;
            }
            struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP, .data.fd = fd };
            if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl");
            started[fd] = now;
            inflight++;
        }
        int n = epoll_wait(ep, events, MAX_EVENTS, 10);
        if (n < 0 && errno != EINTR) die("epoll_wait");
        now = now_ns();
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            if (started[fd] == 0) continue;
            ssize_t r = read(fd, &byte, 1);
            if (r < 0 && errno == EAGAIN) continue;
            if (r >= 0) {
                /* EOF (or a byte): the server accepted and closed. Count it only inside the window. */
                if (now <= end) c.completed++;
            } else if (errno == ECONNREFUSED) {
                c.refused++;
            } else {
                c.failed++;
            }
            started[fd] = 0;
            close(fd);
            inflight--;
        }
        if (now >= next_sweep) {
            next_sweep = now + 100000000LL;
            for (size_t fd = 0; fd < slots; fd++) {
                if (started[fd] != 0 && now - started[fd] > CONNECT_TIMEOUT_NS) {
                    c.timedout++;
                    started[fd] = 0;
                    close((int)fd);
                    inflight--;
                }
            }
        }
    }
    double elapsed = (double)(now - begin) / 1e9;
    double cpu = (double)(clock_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu_begin) / 1e9;
    printf("completed=%llu failed=%llu refused=%llu addrnotavail=%llu timedout=%llu inflight=%d seconds=%.3f rate=%.1f cpu=%.6f\n",
           c.completed, c.failed, c.refused, c.addrnotavail, c.timedout, inflight, elapsed, c.completed / elapsed, cpu);
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: connrate server ADDR PORT\n"
                    "       connrate client ADDR PORT SECONDS CONCURRENCY [SOURCE[,SOURCE...]]\n");
    return 2;
}

int main(int argc, char **argv)
{
    struct sockaddr_in endpoint;
    if (argc == 4 && strcmp(argv[1], "server") == 0) {
        if (parse_endpoint(argv[2], argv[3], &endpoint) < 0) return usage();
        return server(&endpoint);
    }
    if ((argc == 6 || argc == 7) && strcmp(argv[1], "client") == 0) {
        if (parse_endpoint(argv[2], argv[3], &endpoint) < 0) return usage();
        double seconds = atof(argv[4]);
        int concurrency = atoi(argv[5]);
        if (seconds <= 0 || seconds > 600 || concurrency < 1 || concurrency > 60000) return usage();
        struct sockaddr_in sources[MAX_SOURCES];
        int source_count = 0;
        if (argc == 7) {
            char *list = strdup(argv[6]);
            for (char *save = NULL, *s = strtok_r(list, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
                if (source_count == MAX_SOURCES) return usage();
                memset(&sources[source_count], 0, sizeof(sources[0]));
                sources[source_count].sin_family = AF_INET;
                if (inet_pton(AF_INET, s, &sources[source_count].sin_addr) != 1) return usage();
                source_count++;
            }
            free(list);
        }
        return client(&endpoint, seconds, concurrency, sources, source_count);
    }
    return usage();
}
