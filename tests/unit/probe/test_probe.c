/* ec_probe_nodes against fake Redis/memcached servers forked on loopback:
 * each listening socket answers one way, and the probe must judge it. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>

#include "elasticache/elasticache.h"
#include "testutil.h"

typedef struct fake {
    const char *behaviour;
    int port;
    pid_t pid;
} fake;

static int listen_any(int *port)
{
    struct sockaddr_in a = {0};
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;

    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        listen(fd, 16) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        perror("listen");
        exit(2);
    }
    *port = ntohs(a.sin_port);
    return fd;
}

static void send_all(int fd, const char *s, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, s, len, MSG_NOSIGNAL);

        if (n <= 0)
            return;
        s += n;
        len -= (size_t)n;
    }
}

/* Read until the request is complete (ends in PING or version). */
static void read_request(int fd, char *buf, size_t size)
{
    size_t len = 0;

    buf[0] = '\0';
    while (len + 1 < size) {
        ssize_t n = recv(fd, buf + len, size - 1 - len, 0);

        if (n <= 0)
            return;
        len += (size_t)n;
        buf[len] = '\0';
        if (strstr(buf, "PING\r\n") || strstr(buf, "version\r\n"))
            return;
    }
}

static void serve(int lfd, const char *how)
{
    for (;;) {
        char req[8192];
        int fd = accept(lfd, NULL, NULL);

        if (fd < 0)
            continue;
        if (!strcmp(how, "close")) {
            close(fd);
            continue;
        }
        if (!strcmp(how, "silent")) {
            pause(); /* hold the connection, never answer */
            continue;
        }
        if (!strcmp(how, "plainerr")) {
            if (recv(fd, req, sizeof(req), 0) <= 0) {
                close(fd);
                continue;
            }
        } else {
            read_request(fd, req, sizeof(req));
        }
        if (!strcmp(how, "pong")) {
            send_all(fd, "+PONG\r\n", 7);
        } else if (!strcmp(how, "auth")) {
            /* requirepass "sekret": AUTH's answer, then PING's */
            if (strstr(req, "$6\r\nsekret\r\n"))
                send_all(fd, "+OK\r\n+PONG\r\n", 12);
            else if (strstr(req, "AUTH"))
                send_all(fd, "-WRONGPASS invalid username-password pair\r\n",
                         43);
            else
                send_all(fd, "-NOAUTH Authentication required.\r\n", 34);
        } else if (!strcmp(how, "acl")) {
            if (strstr(req, "*3\r\n$4\r\nAUTH\r\n$5\r\nalice\r\n$6\r\nsekret"))
                send_all(fd, "+OK\r\n+PONG\r\n", 12);
            else
                send_all(fd, "-WRONGPASS\r\n-NOAUTH\r\n", 21);
        } else if (!strcmp(how, "noauth")) {
            /* Redis 6+ without a password, given AUTH */
            const char *s = "-ERR AUTH <password> called without any "
                            "password configured for the default user.\r\n";

            send_all(fd, s, strlen(s));
        } else if (!strcmp(how, "maxclients")) {
            const char *s = "-ERR max number of clients reached\r\n";

            send_all(fd, s, strlen(s));
        } else if (!strcmp(how, "tlsalert")) {
            /* what a TLS-only server may send to plain text: an alert */
            send_all(fd, "\x15\x03\x01\x00\x02\x02\x46", 7);
        } else if (!strcmp(how, "loading")) {
            const char *s = "-LOADING Redis is loading the dataset\r\n";

            send_all(fd, s, strlen(s));
        } else if (!strcmp(how, "bulk")) {
            send_all(fd, "$5\r\nhello\r\n", 11);
        } else if (!strcmp(how, "split")) {
            send_all(fd, "+PO", 3);
            usleep(100000);
            send_all(fd, "NG\r\n", 4);
        } else if (!strcmp(how, "version")) {
            send_all(fd, "VERSION 1.6.99\r\n", 16);
        } else if (!strcmp(how, "hostile")) {
            const char *s = "VERSION 1.6\x1b[31m\x01x\r\n";

            send_all(fd, s, strlen(s));
        } else if (!strcmp(how, "error")) {
            send_all(fd, "ERROR\r\n", 7);
        } else if (!strcmp(how, "long")) {
            char junk[2000];

            memset(junk, 'x', sizeof(junk));
            send_all(fd, junk, sizeof(junk));
            pause();
        } else if (!strcmp(how, "plainerr")) {
            /* memcached's answer to bytes it cannot parse, a TLS hello */
            send_all(fd, "ERROR\r\n", 7);
        } else if (!strcmp(how, "halfclose")) {
            send_all(fd, "+PO", 3);
        } else if (!strcmp(how, "info")) {
            /* PING's answer, then INFO's bulk reply in two pieces */
            const char *body = "# Replication\r\nrole:slave\r\n"
                               "master_host:10.0.0.5\r\nmaster_port:6379\r\n"
                               "master_link_status:up\r\n"
                               "master_last_io_seconds_ago:3\r\n";
            char head[64];
            int hl =
                snprintf(head, sizeof(head), "+PONG\r\n$%zu\r\n", strlen(body));

            send_all(fd, head, (size_t)hl);
            send_all(fd, body, 20);
            usleep(100000);
            send_all(fd, body + 20, strlen(body) - 20);
            send_all(fd, "\r\n", 2);
        } else if (!strcmp(how, "infoerr")) {
            const char *s = "+PONG\r\n-ERR unknown command 'INFO'\r\n";

            send_all(fd, s, strlen(s));
        } else if (!strcmp(how, "infosilent")) {
            send_all(fd, "+PONG\r\n", 7);
            pause();
        } else if (!strcmp(how, "infohuge")) {
            send_all(fd, "+PONG\r\n$999999\r\n", 17);
            pause();
        } else if (!strcmp(how, "infojunk")) {
            send_all(fd, "+PONG\r\n$7\r\ngarbage\r\n", 22);
        }
        close(fd);
    }
}

static void start(fake *f)
{
    int lfd = listen_any(&f->port);

    f->pid = fork();
    if (f->pid == 0) {
        serve(lfd, f->behaviour);
        _exit(0);
    }
    close(lfd);
}

static void stop_all(fake *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (f[i].pid > 0) {
            kill(f[i].pid, SIGKILL);
            waitpid(f[i].pid, NULL, 0);
        }
    }
}

/* A port nothing listens on. */
static int closed_port(void)
{
    int port;
    int fd = listen_any(&port);

    close(fd);
    return port;
}

static ec_probe_target target(const char *id, const char *host, int port)
{
    ec_probe_target t = EC_PROBE_TARGET_INIT;

    t.node_id = id;
    t.host = host;
    t.port = port;
    return t;
}

/* ec_probe_nodes over an array of targets (it takes pointers). */
static int probe(const ec_probe_target *t, size_t n, const ec_probe_options *o,
                 ec_probe_results **res, ec_error *err)
{
    const ec_probe_target *tp[8];

    for (size_t i = 0; i < n && i < 8; i++)
        tp[i] = &t[i];
    return ec_probe_nodes(tp, n, o, res, err);
}

static void test_answers(void)
{
    static const struct {
        const char *behaviour;
        ec_probe_kind kind;
        const char *token, *user;
        ec_probe_status want;
        ec_probe_why why;
        const char *detail; /* prefix */
    } cases[] = {
        {"pong", EC_PROBE_REDIS, NULL, NULL, EC_PROBE_OK, EC_PROBE_WHY_NONE,
         "PONG"},
        {"split", EC_PROBE_REDIS, NULL, NULL, EC_PROBE_OK, EC_PROBE_WHY_NONE,
         "PONG"},
        {"auth", EC_PROBE_REDIS, "sekret", NULL, EC_PROBE_OK, EC_PROBE_WHY_NONE,
         "PONG"},
        {"acl", EC_PROBE_REDIS, "sekret", "alice", EC_PROBE_OK,
         EC_PROBE_WHY_NONE, "PONG"},
        {"auth", EC_PROBE_REDIS, "wrong!", NULL, EC_PROBE_AUTH_FAILED,
         EC_PROBE_WHY_AUTH_REFUSED, "AUTH refused: WRONGPASS"},
        {"auth", EC_PROBE_REDIS, NULL, NULL, EC_PROBE_AUTH_FAILED,
         EC_PROBE_WHY_AUTH_REQUIRED, "NOAUTH Authentication required."},
        {"noauth", EC_PROBE_REDIS, "sekret", NULL, EC_PROBE_AUTH_FAILED,
         EC_PROBE_WHY_AUTH_REFUSED, "AUTH refused: ERR AUTH <password> called"},
        {"loading", EC_PROBE_REDIS, NULL, NULL, EC_PROBE_BAD_ANSWER,
         EC_PROBE_WHY_BUSY, "busy: LOADING"},
        {"maxclients", EC_PROBE_REDIS, NULL, NULL, EC_PROBE_BAD_ANSWER,
         EC_PROBE_WHY_BUSY, "busy: ERR max number of clients"},
        {"bulk", EC_PROBE_REDIS, NULL, NULL, EC_PROBE_BAD_ANSWER,
         EC_PROBE_WHY_WRONG_ANSWER, "unexpected answer"},
        {"tlsalert", EC_PROBE_REDIS, NULL, NULL, EC_PROBE_TLS_FAILED,
         EC_PROBE_WHY_TLS_EXPECTED, "the node answered with TLS"},
        /* closed at once: "closed" or "reset", depending on whether the
         * request was already in the server's buffer */
        {"close", EC_PROBE_REDIS, NULL, NULL, EC_PROBE_UNREACHABLE,
         EC_PROBE_WHY_CLOSED, ""},
        {"halfclose", EC_PROBE_REDIS, NULL, NULL, EC_PROBE_UNREACHABLE,
         EC_PROBE_WHY_CLOSED, "connection closed before an answer"},
        {"silent", EC_PROBE_REDIS, NULL, NULL, EC_PROBE_UNREACHABLE,
         EC_PROBE_WHY_SILENT, "no answer within 0.5s"},
        {"long", EC_PROBE_MEMCACHED, NULL, NULL, EC_PROBE_BAD_ANSWER,
         EC_PROBE_WHY_WRONG_ANSWER, "answer too long"},
        {"version", EC_PROBE_MEMCACHED, NULL, NULL, EC_PROBE_OK,
         EC_PROBE_WHY_NONE, "VERSION 1.6.99"},
        {"hostile", EC_PROBE_MEMCACHED, NULL, NULL, EC_PROBE_OK,
         EC_PROBE_WHY_NONE, "VERSION 1.6?[31m?x"},
        {"error", EC_PROBE_MEMCACHED, NULL, NULL, EC_PROBE_BAD_ANSWER,
         EC_PROBE_WHY_WRONG_ANSWER, "unexpected answer: ERROR"},
    };
    size_t n = sizeof(cases) / sizeof(cases[0]);
    fake f[sizeof(cases) / sizeof(cases[0])];

    for (size_t i = 0; i < n; i++) {
        f[i].behaviour = cases[i].behaviour;
        start(&f[i]);
    }
    for (size_t i = 0; i < n; i++) {
        ec_probe_target t = target("0001", "127.0.0.1", f[i].port);
        ec_probe_options o = EC_PROBE_OPTIONS_INIT;
        ec_probe_results *res = NULL;
        const ec_probe_result *r;
        ec_error err = {0};

        o.kind = cases[i].kind;
        o.timeout = 0.5;
        o.auth_token = cases[i].token;
        o.auth_user = cases[i].user;
        CHECK_INT(probe(&t, 1, &o, &res, &err), 0);
        if (!res)
            continue;
        CHECK_INT(res->count, 1);
        r = res->items[0];
        if (r->status != cases[i].want ||
            strncmp(r->detail, cases[i].detail, strlen(cases[i].detail)) != 0)
            fprintf(stderr, "case %zu %s: status %d detail '%s'\n", i,
                    cases[i].behaviour, (int)r->status, r->detail);
        CHECK_INT(r->status, cases[i].want);
        CHECK_INT(r->why, cases[i].why);
        CHECK(r->ok == (cases[i].want == EC_PROBE_OK));
        CHECK(strncmp(r->detail, cases[i].detail, strlen(cases[i].detail)) ==
              0);
        CHECK(r->seconds >= 0 && r->seconds < 5);
        /* the token never comes back in a detail */
        CHECK(strstr(r->detail, "sekret") == NULL);
        CHECK(strstr(r->detail, "wrong!") == NULL);
        ec_probe_results_free(res);
    }
    stop_all(f, n);
    {
        ec_probe_target t = target("0002", "127.0.0.1", closed_port());
        ec_probe_options o = EC_PROBE_OPTIONS_INIT;
        ec_probe_results *res = NULL;

        o.kind = EC_PROBE_MEMCACHED;
        o.timeout = 1;
        CHECK_INT(probe(&t, 1, &o, &res, NULL), 0);
        CHECK(res != NULL);
        if (res) {
            CHECK_INT(res->items[0]->status, EC_PROBE_UNREACHABLE);
            CHECK_INT(res->items[0]->why, EC_PROBE_WHY_REFUSED);
            CHECK(strstr(res->items[0]->detail, "Connection refused") != NULL);
        }
        ec_probe_results_free(res);
    }
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_parallel(void)
{
    /* Six silent nodes and two good ones: all judged within about one
     * timeout, not six. */
    fake f[8];
    ec_probe_target t[8];
    ec_probe_results *res = NULL;
    ec_probe_options o = EC_PROBE_OPTIONS_INIT;
    double t0, took;

    for (int i = 0; i < 8; i++) {
        f[i].behaviour = i < 6 ? "silent" : "version";
        start(&f[i]);
        t[i] = target("000x", "127.0.0.1", f[i].port);
    }
    o.kind = EC_PROBE_MEMCACHED;
    o.timeout = 0.8;
    t0 = now();
    CHECK_INT(probe(t, 8, &o, &res, NULL), 0);
    took = now() - t0;
    fprintf(stderr, "8 probes took %.3fs\n", took);
    CHECK(took >= 0.7 && took < 3.0);
    CHECK(res && res->count == 8);
    for (int i = 0; res && i < 8; i++)
        CHECK_INT(res->items[i]->status,
                  i < 6 ? EC_PROBE_UNREACHABLE : EC_PROBE_OK);
    ec_probe_results_free(res);
    stop_all(f, 8);
}

static void test_arguments(void)
{
    ec_probe_options o = EC_PROBE_OPTIONS_INIT;
    ec_probe_target t[2] = {target("0001", NULL, 11211),
                            target("0002", "127.0.0.1", 0)};
    const ec_probe_target *tp[2] = {&t[0], &t[1]};
    ec_probe_results *res = NULL;
    ec_error err = {0};
    char big[5000];

    CHECK_INT(ec_probe_nodes(tp, 1, NULL, &res, &err), -1);
    CHECK_INT(err.code, EC_ERR_INVALID_ARGUMENT);
    CHECK(res == NULL);
    ec_error_clear(&err);
    o.kind = (ec_probe_kind)7;
    CHECK_INT(ec_probe_nodes(tp, 1, &o, &res, &err), -1);
    CHECK(res == NULL);
    ec_error_clear(&err);
    o.kind = EC_PROBE_MEMCACHED;
    o.timeout = 0.2;
    CHECK_INT(ec_probe_nodes(tp, 2, &o, &res, &err), 0);
    CHECK(res && res->count == 2);
    if (res) {
        /* nothing to connect to is no proof against a node */
        CHECK_INT(res->items[0]->status, EC_PROBE_NOT_PROBED);
        CHECK_INT(res->items[0]->why, EC_PROBE_WHY_NOT_STARTED);
        CHECK_STR(res->items[0]->detail, "no endpoint to probe");
        CHECK_INT(res->items[1]->status, EC_PROBE_NOT_PROBED);
    }
    ec_probe_results_free(res);
    res = NULL;
    CHECK_INT(ec_probe_nodes(NULL, 0, &o, &res, &err), 0);
    CHECK(res && res->count == 0);
    ec_probe_results_free(res);
    res = NULL;
    /* a target or the options without struct_size is refused */
    t[1].struct_size = 0;
    CHECK_INT(ec_probe_nodes(tp, 2, &o, &res, &err), -1);
    CHECK_INT(err.code, EC_ERR_INVALID_ARGUMENT);
    CHECK_STR(err.message, "struct_size not set: initialise ec_probe_target "
                           "with EC_PROBE_TARGET_INIT");
    CHECK(res == NULL);
    ec_error_clear(&err);
    t[1].struct_size = sizeof(t[1]);
    tp[1] = NULL;
    CHECK_INT(ec_probe_nodes(tp, 2, &o, &res, &err), -1);
    CHECK_INT(err.code, EC_ERR_INVALID_ARGUMENT);
    ec_error_clear(&err);
    /* an absurd AUTH token is refused, and not echoed */
    memset(big, 'k', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    o.kind = EC_PROBE_REDIS;
    o.auth_token = big;
    CHECK_INT(ec_probe_nodes(tp, 1, &o, &res, &err), -1);
    CHECK_INT(err.code, EC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "kkkk") == NULL);
    ec_error_clear(&err);
    /* a CA bundle that does not exist is a setup error */
    o.auth_token = NULL;
    o.tls = true;
    o.ca_bundle = "/nonexistent/ca.pem";
    CHECK_INT(ec_probe_nodes(tp, 1, &o, &res, &err), -1);
    CHECK_INT(err.code, EC_ERR_CONFIG);
    CHECK(res == NULL);
}

static void test_tls_peers(void)
{
    /* TLS to servers that close at once or speak plain text: judged, and
     * no SIGPIPE kills us (none is ignored in this program). */
    static const char *const hows[] = {"close", "version", "silent"};
    fake f[3];
    ec_probe_target t[3];
    ec_probe_options o = EC_PROBE_OPTIONS_INIT;
    sigset_t pending;

    for (int i = 0; i < 3; i++) {
        f[i].behaviour = hows[i];
        start(&f[i]);
        t[i] = target("0001", "127.0.0.1", f[i].port);
    }
    o.kind = EC_PROBE_REDIS;
    o.timeout = 0.5;
    o.tls = true;
    for (int round = 0; round < 5; round++) {
        ec_probe_results *res = NULL;
        const ec_probe_result *const *r;

        CHECK_INT(probe(t, 3, &o, &res, NULL), 0);
        if (!res)
            continue;
        r = (const ec_probe_result *const *)res->items;
        if (r[0]->status != EC_PROBE_UNREACHABLE)
            fprintf(stderr, "close: %s\n", r[0]->detail);
        CHECK_INT(r[0]->status, EC_PROBE_UNREACHABLE);
        CHECK(r[1]->status == EC_PROBE_TLS_FAILED ||
              r[1]->status == EC_PROBE_UNREACHABLE);
        CHECK_INT(r[2]->status, EC_PROBE_UNREACHABLE);
        CHECK(strstr(r[2]->detail, "no TLS handshake") != NULL);
        ec_probe_results_free(res);
    }
    sigpending(&pending);
    CHECK(sigismember(&pending, SIGPIPE) == 0);
    stop_all(f, 3);
}

/* A listener that never accepts: the kernel completes every connection
 * (up to a large backlog) and the request waits unread, as on a hung
 * node that still holds its port. */
static int hold_listener(int *port)
{
    struct sockaddr_in a = {0};
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        listen(fd, 4096) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        perror("hold");
        exit(2);
    }
    *port = ntohs(a.sin_port);
    return fd;
}

/*
 * A listener whose accept queue is full: Linux drops further SYNs, so a
 * connect to it gets no answer at all, as when the path to a node is cut
 * (a lost route, a security group). Backlog 0 holds one completed
 * connection; the fillers are connected until one stays pending.
 * fills[] receives the filler sockets (to close after the test).
 */
static int full_listener(int *port, int *fills, int nfill)
{
    struct sockaddr_in a = {0};
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(fd, 0) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        perror("full");
        exit(2);
    }
    *port = ntohs(a.sin_port);
    for (int i = 0; i < nfill; i++)
        fills[i] = -1;
    for (int i = 0; i < nfill; i++) {
        struct pollfd p;
        int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

        fills[i] = s;
        if (connect(s, (struct sockaddr *)&a, sizeof(a)) != 0 &&
            errno != EINPROGRESS)
            break;
        p.fd = s;
        p.events = POLLOUT;
        /* established at once on loopback while the queue has room */
        if (poll(&p, 1, 300) == 0)
            break; /* this one is pending: the queue is full */
    }
    return fd;
}

/* Every way a probe can end, in one run, each target with its own
 * options: the kind, AUTH and TLS of one do not leak into another. */
static void test_ways(void)
{
    static const char *const hows[] = {"pong", "version", "auth", "auth",
                                       "plainerr"};
    fake f[5];
    int hold_port, full_port, fills[4];
    int hold = hold_listener(&hold_port);
    int full = full_listener(&full_port, fills, 4);
    ec_probe_options redis = EC_PROBE_OPTIONS_INIT, mc = EC_PROBE_OPTIONS_INIT,
                     redis_tls = EC_PROBE_OPTIONS_INIT,
                     mc_tls = EC_PROBE_OPTIONS_INIT,
                     redis_auth = EC_PROBE_OPTIONS_INIT;
    ec_probe_target t[9];
    const ec_probe_target *tp[9];
    ec_probe_results *res = NULL;
    ec_error err = {0};
    static const struct {
        ec_probe_status status;
        ec_probe_why why;
        const char *detail;
    } want[9] = {
        {EC_PROBE_UNREACHABLE, EC_PROBE_WHY_REFUSED, "connect failed"},
        {EC_PROBE_UNREACHABLE, EC_PROBE_WHY_CONNECT_TIMEOUT,
         "no connection within 1.5s"},
        {EC_PROBE_UNREACHABLE, EC_PROBE_WHY_SILENT, "no answer within 1.5s"},
        {EC_PROBE_UNREACHABLE, EC_PROBE_WHY_TLS_SILENT,
         "no TLS handshake within 1.5s"},
        {EC_PROBE_TLS_FAILED, EC_PROBE_WHY_PLAINTEXT, "TLS handshake failed"},
        {EC_PROBE_OK, EC_PROBE_WHY_NONE, "PONG"},
        {EC_PROBE_OK, EC_PROBE_WHY_NONE, "VERSION"},
        {EC_PROBE_OK, EC_PROBE_WHY_NONE, "PONG"},
        {EC_PROBE_AUTH_FAILED, EC_PROBE_WHY_AUTH_REQUIRED, "NOAUTH"},
    };
    double t0, took;

    for (int i = 0; i < 5; i++) {
        f[i].behaviour = hows[i];
        start(&f[i]);
    }
    redis.kind = EC_PROBE_REDIS;
    redis.timeout = 1.5;
    mc.kind = EC_PROBE_MEMCACHED;
    redis_tls = redis;
    redis_tls.tls = true;
    redis_tls.tls_no_verify = true;
    mc_tls = mc;
    mc_tls.tls = true;
    mc_tls.tls_no_verify = true;
    redis_auth = redis;
    redis_auth.auth_token = "sekret";
    t[0] = target("r", "127.0.0.1", closed_port());
    t[0].options = &mc;
    t[1] = target("c", "127.0.0.1", full_port);
    t[1].options = &mc;
    t[2] = target("s", "127.0.0.1", hold_port);
    t[3] = target("h", "127.0.0.1", hold_port);
    t[3].options = &redis_tls;
    t[4] = target("p", "127.0.0.1", f[4].port);
    t[4].options = &mc_tls;
    t[5] = target("o", "127.0.0.1", f[0].port);
    t[6] = target("v", "127.0.0.1", f[1].port);
    t[6].options = &mc;
    t[7] = target("a", "127.0.0.1", f[2].port);
    t[7].options = &redis_auth;
    t[8] = target("n", "127.0.0.1", f[3].port); /* the call's: no token */
    for (int i = 0; i < 9; i++)
        tp[i] = &t[i];
    t0 = now();
    CHECK_INT(ec_probe_nodes(tp, 9, &redis, &res, &err), 0);
    took = now() - t0;
    fprintf(stderr, "9 ways took %.3fs\n", took);
    /* One run: about one timeout. Probed group after group (kind, TLS),
     * the three groups with a silent node took three. The bound leaves
     * room for valgrind and a loaded machine. */
    CHECK(took >= 1.5 * 0.95 && took < 2.5 * 1.5);
    for (int i = 0; res && i < 9; i++) {
        const ec_probe_result *r = res->items[i];

        if (r->status != want[i].status || r->why != want[i].why ||
            !strstr(r->detail, want[i].detail))
            fprintf(stderr, "way %d (%s): status %d why %s detail '%s'\n", i,
                    t[i].node_id, (int)r->status, ec_probe_why_str(r->why),
                    r->detail);
        CHECK_INT(r->status, want[i].status);
        CHECK_INT(r->why, want[i].why);
        CHECK(strstr(r->detail, want[i].detail) != NULL);
        CHECK(strstr(r->detail, "sekret") == NULL);
    }
    ec_probe_results_free(res);
    CHECK_STR(ec_probe_why_str(EC_PROBE_WHY_CONNECT_TIMEOUT),
              "connect timeout");
    CHECK_STR(ec_probe_why_str((ec_probe_why)999), "unknown");
    for (int i = 0; i < 4; i++)
        if (fills[i] >= 0)
            close(fills[i]);
    close(full);
    close(hold);
    stop_all(f, 5);
}

/* Descriptors the test process has open below `limit`. */
static int count_open_fds(int limit)
{
    int n = 0;

    for (int fd = 0; fd < limit; fd++)
        if (fcntl(fd, F_GETFD) != -1)
            n++;
    return n;
}

/*
 * RLIMIT_NOFILE leaves room for 8 probes at once: 40 nodes are all probed,
 * 8 at a time, each with its whole timeout; with a deadline for the run,
 * the ones that cannot start in time are "not probed", never judged on
 * less time than the others.
 */
static void test_budget(void)
{
    struct rlimit old, low;
    int hold_port, hold = hold_listener(&hold_port);
    fake f = {"version", 0, 0};
    ec_probe_target t[40];
    const ec_probe_target *tp[40];
    ec_probe_options o = EC_PROBE_OPTIONS_INIT;
    ec_probe_results *res = NULL;
    size_t silent = 0, skipped = 0, ok = 0, budget;
    double t0, took;

    start(&f);
    getrlimit(RLIMIT_NOFILE, &old);
    low = old;
    /* what is open, the library's reserve of 16, and about 8 (the
     * library counts what is open below the limit, as here) */
    low.rlim_cur = (rlim_t)count_open_fds(4096) + 16 + 8;
    budget =
        (size_t)low.rlim_cur - 16 - (size_t)count_open_fds((int)low.rlim_cur);
    fprintf(stderr, "RLIMIT_NOFILE %lu: %zu probes at once\n",
            (unsigned long)low.rlim_cur, budget);
    CHECK(budget >= 8 && budget < 40);
    CHECK_INT(setrlimit(RLIMIT_NOFILE, &low), 0);
    o.kind = EC_PROBE_MEMCACHED;
    o.timeout = 0.4;

    /* fast nodes: all answered, 8 at a time */
    for (int i = 0; i < 40; i++) {
        t[i] = target("f", "127.0.0.1", f.port);
        tp[i] = &t[i];
    }
    CHECK_INT(ec_probe_nodes(tp, 40, &o, &res, NULL), 0);
    for (int i = 0; res && i < 40; i++)
        ok += res->items[i]->ok;
    CHECK_INT(ok, 40);
    ec_probe_results_free(res);
    res = NULL;

    /* silent nodes, no deadline for the run: 40 / budget rounds, all
     * judged */
    for (int i = 0; i < 40; i++)
        t[i] = target("s", "127.0.0.1", hold_port);
    t0 = now();
    CHECK_INT(ec_probe_nodes(tp, 40, &o, &res, NULL), 0);
    took = now() - t0;
    fprintf(stderr, "40 silent nodes, %zu at once: %.3fs\n", budget, took);
    CHECK(took >= (double)((40 + budget - 1) / budget) * 0.4 * 0.95);
    for (int i = 0; res && i < 40; i++) {
        CHECK_INT(res->items[i]->why, EC_PROBE_WHY_SILENT);
        CHECK(res->items[i]->seconds >= 0.4 * 0.99);
    }
    ec_probe_results_free(res);
    res = NULL;

    /* the same with the run bounded to 1 s: two rounds fit, the rest are
     * not probed, and every judged one had its whole 0.4 s */
    o.total_timeout = 1.0;
    t0 = now();
    CHECK_INT(ec_probe_nodes(tp, 40, &o, &res, NULL), 0);
    took = now() - t0;
    fprintf(stderr, "bounded: %.3fs\n", took);
    CHECK(took < 1.0 + 0.5);
    for (int i = 0; res && i < 40; i++) {
        const ec_probe_result *r = res->items[i];

        if (r->why == EC_PROBE_WHY_SILENT) {
            silent++;
            CHECK(r->seconds >= 0.4 * 0.99);
        } else {
            skipped++;
            CHECK_INT(r->status, EC_PROBE_NOT_PROBED);
            CHECK_INT(r->why, EC_PROBE_WHY_NOT_STARTED);
            CHECK(strstr(r->detail, "no file descriptor free in time "
                                    "(RLIMIT_NOFILE") != NULL);
        }
    }
    fprintf(stderr, "bounded: %zu judged, %zu not probed\n", silent, skipped);
    CHECK(silent >= budget && silent <= 2 * budget);
    CHECK_INT(silent + skipped, 40);
    ec_probe_results_free(res);
    CHECK_INT(setrlimit(RLIMIT_NOFILE, &old), 0);
    close(hold);
    stop_all(&f, 1);
}

/* redis_replication: INFO replication after PONG, parsed into the result;
 * whatever INFO does, a node that said PONG answers. */
static void test_info(void)
{
    static const struct {
        const char *behaviour;
        bool parsed;
        const char *detail; /* prefix */
    } cases[] = {
        {"info", true, "PONG"},
        {"infoerr", false, "PONG; INFO replication refused: -ERR unknown"},
        {"infosilent", false, "PONG; no INFO replication within"},
        {"infohuge", false, "PONG; INFO replication answer too long"},
        {"infojunk", false, "PONG; INFO replication unreadable"},
        /* PONG, then closed before INFO's answer: still answers */
        {"pong", false, "PONG; no INFO replication: connection closed"},
    };
    size_t n = sizeof(cases) / sizeof(cases[0]);
    fake f[sizeof(cases) / sizeof(cases[0])];

    for (size_t i = 0; i < n; i++) {
        f[i].behaviour = cases[i].behaviour;
        start(&f[i]);
    }
    for (size_t i = 0; i < n; i++) {
        ec_probe_target t = target("0001", "127.0.0.1", f[i].port);
        ec_probe_options o = EC_PROBE_OPTIONS_INIT;
        ec_probe_results *res = NULL;
        const ec_probe_result *r;
        ec_error err = {0};

        o.kind = EC_PROBE_REDIS;
        o.timeout = 0.5;
        o.redis_replication = true;
        CHECK_INT(probe(&t, 1, &o, &res, &err), 0);
        if (!res)
            continue;
        r = res->items[0];
        if (strncmp(r->detail, cases[i].detail, strlen(cases[i].detail)) != 0)
            fprintf(stderr, "info case %s: detail '%s'\n", cases[i].behaviour,
                    r->detail);
        CHECK_INT(r->status, EC_PROBE_OK);
        CHECK(r->ok);
        CHECK(strncmp(r->detail, cases[i].detail, strlen(cases[i].detail)) ==
              0);
        CHECK((r->replication != NULL) == cases[i].parsed);
        if (r->replication) {
            CHECK_STR(r->replication->role, "slave");
            CHECK_STR(r->replication->master_host, "10.0.0.5");
            CHECK_INT(r->replication->master_link_status, EC_REDIS_LINK_UP);
            CHECK(r->replication->master_last_io_seconds_ago.set);
            CHECK_INT(r->replication->master_last_io_seconds_ago.value, 3);
        }
        ec_probe_results_free(res);
    }
    stop_all(f, n);
}

int main(int argc, char **argv)
{
    const char *which = argc > 1 ? argv[1] : "all";

    /* SIGPIPE is left at its default on purpose: the library must not be
     * killed by a node that closes while OpenSSL writes. */
    if (!strcmp(which, "answers") || !strcmp(which, "all"))
        test_answers();
    if (!strcmp(which, "parallel") || !strcmp(which, "all"))
        test_parallel();
    if (!strcmp(which, "arguments") || !strcmp(which, "all"))
        test_arguments();
    if (!strcmp(which, "tls") || !strcmp(which, "all"))
        test_tls_peers();
    if (!strcmp(which, "ways") || !strcmp(which, "all"))
        test_ways();
    if (!strcmp(which, "budget") || !strcmp(which, "all"))
        test_budget();
    if (!strcmp(which, "info") || !strcmp(which, "all"))
        test_info();
    return test_status(which);
}
