/*
 * Cache node probes for the monitoring tools: every node of every cluster
 * in one run over non-blocking sockets and poll(), as many at once as the
 * file-descriptor limit allows, optionally TLS (OpenSSL, verification on
 * unless told), Redis "PING" after an optional AUTH, memcached "version".
 */
#include "abi.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

/* An answer longer than this is not PONG or VERSION. */
#define PROBE_IN_MAX 512
/* INFO replication's answer: a primary with five replicas writes ~900
 * bytes; the bulk reply is refused past this. */
#define PROBE_INFO_MAX 8192
/* ElastiCache AUTH tokens are 16-128 characters; refuse absurd ones. */
#define PROBE_TOKEN_MAX 4096
/* Descriptors left to the caller and to what a probe opens besides its
 * socket (getaddrinfo's resolver socket, a CA bundle being read). */
#define FD_RESERVE 16
/* Used when /proc/self/fd cannot be read: a guess of what is open. */
#define FD_OPEN_GUESS 64

enum phase {
    PH_QUEUED, /* waiting for a file descriptor */
    PH_CONNECT,
    PH_HANDSHAKE,
    PH_SEND,
    PH_RECV,
    PH_DONE
};

/* What one options struct (the call's, or a target's own) asks every node
 * it covers: the request, and the TLS context to use. */
typedef struct probe_profile {
    const ec_probe_options *src; /* the caller's pointer: the key */
    ec_probe_options opt;        /* imported */
    char *request;               /* holds the AUTH token when given: wiped */
    size_t request_len;
    int replies_wanted; /* AUTH's, PING's, and INFO's when asked */
    SSL_CTX *ctx;       /* borrowed from the run's cache; NULL without TLS */
} probe_profile;

/* One TLS context per (verification, CA bundle): loading a CA bundle per
 * cluster would cost more than the probes. */
typedef struct tls_ctx_entry {
    bool no_verify;
    const char *ca_bundle; /* borrowed from the options */
    SSL_CTX *ctx;
} tls_ctx_entry;

typedef struct probe_conn {
    const ec_probe_target *target;
    const probe_profile *prof;
    ec_probe_result *result;
    struct addrinfo *addrs; /* owned, from getaddrinfo */
    struct addrinfo *addr;  /* the one being tried */
    int fd;
    SSL *ssl;
    enum phase phase;
    short events; /* what poll() should wait for */
    size_t sent;
    char in[PROBE_INFO_MAX + 64];
    size_t in_len;
    int replies_seen; /* Redis: AUTH's answer comes before PING's */
    bool pong;        /* PONG seen; INFO replication's answer next */
    double pong_seconds;
    double start;    /* monotonic seconds when it began */
    double deadline; /* start + the run's per-node timeout */
} probe_conn;

typedef struct probe_run {
    double timeout; /* each node's */
    double total;   /* the whole run's; 0: none */
    double t0;      /* monotonic seconds when the run began */
    probe_profile *profiles;
    size_t nprofiles;
    tls_ctx_entry *ctxs;
    size_t nctxs;
    size_t budget;        /* connections open at once */
    unsigned long nofile; /* RLIMIT_NOFILE, for messages; 0: unlimited */
    bool fd_short;        /* budget lowered by EMFILE/ENFILE */
} probe_run;

static double mono_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const char *ec_probe_why_str(ec_probe_why why)
{
    switch (why) {
    case EC_PROBE_WHY_NONE:
        return "answered";
    case EC_PROBE_WHY_CONNECT_TIMEOUT:
        return "connect timeout";
    case EC_PROBE_WHY_NO_ROUTE:
        return "no route";
    case EC_PROBE_WHY_REFUSED:
        return "refused";
    case EC_PROBE_WHY_CLOSED:
        return "closed";
    case EC_PROBE_WHY_SILENT:
        return "silent";
    case EC_PROBE_WHY_TLS_SILENT:
        return "silent TLS handshake";
    case EC_PROBE_WHY_TLS_ERROR:
        return "TLS error";
    case EC_PROBE_WHY_TLS_VERIFY:
        return "certificate not verified";
    case EC_PROBE_WHY_TLS_EXPECTED:
        return "TLS expected";
    case EC_PROBE_WHY_PLAINTEXT:
        return "plain text answer to TLS";
    case EC_PROBE_WHY_AUTH_REFUSED:
        return "AUTH refused";
    case EC_PROBE_WHY_AUTH_REQUIRED:
        return "AUTH required";
    case EC_PROBE_WHY_BUSY:
        return "busy";
    case EC_PROBE_WHY_WRONG_ANSWER:
        return "wrong answer";
    case EC_PROBE_WHY_NOT_STARTED:
        return "not started";
    }
    return "unknown";
}

/* Copy server text into a result detail: printable ASCII only, so a
 * hostile server cannot inject lines into plugin output. */
static void copy_printable(char *dst, size_t size, const char *src, size_t len)
{
    size_t o = 0;

    for (size_t i = 0; i < len && o + 1 < size; i++) {
        unsigned char c = (unsigned char)src[i];

        dst[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    dst[o] = '\0';
}

static void conn_close(probe_conn *c)
{
    if (c->ssl) {
        SSL_free(c->ssl);
        c->ssl = NULL;
    }
    if (c->fd >= 0) {
        close(c->fd);
        c->fd = -1;
    }
}

/* The status each way of ending has. */
static ec_probe_status why_status(ec_probe_why why)
{
    switch (why) {
    case EC_PROBE_WHY_NONE:
        return EC_PROBE_OK;
    case EC_PROBE_WHY_CONNECT_TIMEOUT:
    case EC_PROBE_WHY_NO_ROUTE:
    case EC_PROBE_WHY_REFUSED:
    case EC_PROBE_WHY_CLOSED:
    case EC_PROBE_WHY_SILENT:
    case EC_PROBE_WHY_TLS_SILENT:
        return EC_PROBE_UNREACHABLE;
    case EC_PROBE_WHY_TLS_ERROR:
    case EC_PROBE_WHY_TLS_VERIFY:
    case EC_PROBE_WHY_TLS_EXPECTED:
    case EC_PROBE_WHY_PLAINTEXT:
        return EC_PROBE_TLS_FAILED;
    case EC_PROBE_WHY_AUTH_REFUSED:
    case EC_PROBE_WHY_AUTH_REQUIRED:
        return EC_PROBE_AUTH_FAILED;
    case EC_PROBE_WHY_BUSY:
    case EC_PROBE_WHY_WRONG_ANSWER:
        return EC_PROBE_BAD_ANSWER;
    case EC_PROBE_WHY_NOT_STARTED:
        break;
    }
    return EC_PROBE_NOT_PROBED;
}

/* Finish a probe with a verdict; `fmt` describes it. */
static void conn_finish(probe_conn *c, ec_probe_why why, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void conn_finish(probe_conn *c, ec_probe_why why, const char *fmt, ...)
{
    va_list ap;

    if (c->phase == PH_DONE)
        return;
    va_start(ap, fmt);
    vsnprintf(c->result->detail, sizeof(c->result->detail), fmt, ap);
    va_end(ap);
    if (c->pong && why != EC_PROBE_WHY_NONE) {
        /* It answered PING: whatever then became of INFO replication
         * (closed, reset, a TLS error), the node answers. */
        char text[sizeof(c->result->detail)];

        memcpy(text, c->result->detail, sizeof(text));
        snprintf(c->result->detail, sizeof(c->result->detail),
                 "PONG; no INFO replication: %.100s", text);
        why = EC_PROBE_WHY_NONE;
    }
    c->result->why = why;
    c->result->status = why_status(why);
    c->result->ok = why == EC_PROBE_WHY_NONE;
    c->result->seconds = c->pong        ? c->pong_seconds
                         : c->start > 0 ? mono_now() - c->start
                                        : 0;
    c->phase = PH_DONE;
    c->events = 0;
    conn_close(c);
    ec_wipe(c->in, sizeof(c->in));
}

/* Finish a probe that got PONG (and asked INFO replication): OK, timed
 * at the PONG. */
static void finish_pong(probe_conn *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void finish_pong(probe_conn *c, const char *fmt, ...)
{
    va_list ap;
    char text[sizeof(c->result->detail)];

    if (c->phase == PH_DONE)
        return;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    conn_finish(c, EC_PROBE_WHY_NONE, "%s", text);
    c->result->seconds = c->pong_seconds;
}

static bool host_is_ip(const char *host)
{
    unsigned char buf[sizeof(struct in6_addr)];

    return inet_pton(AF_INET, host, buf) == 1 ||
           inet_pton(AF_INET6, host, buf) == 1;
}

static int start_tls(probe_conn *c)
{
    const char *host = c->target->host;
    bool no_verify = c->prof->opt.tls_no_verify;

    c->ssl = SSL_new(c->prof->ctx);
    if (!c->ssl || SSL_set_fd(c->ssl, c->fd) != 1)
        return -1;
    if (host_is_ip(host)) {
        if (!no_verify &&
            X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(c->ssl), host) != 1)
            return -1;
    } else {
        if (SSL_set_tlsext_host_name(c->ssl, host) != 1)
            return -1;
        if (!no_verify && SSL_set1_host(c->ssl, host) != 1)
            return -1;
    }
    SSL_set_connect_state(c->ssl);
    c->phase = PH_HANDSHAKE;
    c->events = POLLOUT;
    return 0;
}

/* A connect() error as a way of ending: only a refusal is an answer from
 * the node; the rest says nothing answered (no route, a firewall, our own
 * side), which is no proof against the node. */
static ec_probe_why connect_why(int e)
{
    if (e == ECONNREFUSED)
        return EC_PROBE_WHY_REFUSED;
    if (e == ETIMEDOUT)
        return EC_PROBE_WHY_CONNECT_TIMEOUT;
    return EC_PROBE_WHY_NO_ROUTE;
}

/* Try the next address until a connect is under way or none is left.
 * Returns -2 (the probe left queued) when no file descriptor is free. */
static int conn_connect_next(probe_conn *c, int last_errno)
{
    for (; c->addr; c->addr = c->addr->ai_next) {
        int fd = socket(c->addr->ai_family, c->addr->ai_socktype | SOCK_CLOEXEC,
                        c->addr->ai_protocol);
        int one = 1;

        if (fd < 0 && (errno == EMFILE || errno == ENFILE))
            return -2;
        if (fd < 0) {
            last_errno = errno;
            continue;
        }
        if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0) {
            last_errno = errno;
            close(fd);
            continue;
        }
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        if (connect(fd, c->addr->ai_addr, c->addr->ai_addrlen) == 0 ||
            errno == EINPROGRESS) {
            c->fd = fd;
            c->phase = PH_CONNECT;
            c->events = POLLOUT;
            return 0;
        }
        last_errno = errno;
        close(fd);
    }
    conn_finish(c, connect_why(last_errno ? last_errno : ECONNREFUSED),
                "connect failed: %s",
                strerror(last_errno ? last_errno : ECONNREFUSED));
    return 0;
}

/* Resolve and start connecting. -2: no file descriptor free (still
 * queued, to try again when another probe has finished). */
static int conn_begin(const probe_run *run, probe_conn *c)
{
    if (!c->addrs) {
        struct addrinfo hints = {0};
        char port[16];
        int rc;

        snprintf(port, sizeof(port), "%d", c->target->port);
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        hints.ai_flags = AI_NUMERICSERV;
        c->start = mono_now();
        rc = getaddrinfo(c->target->host, port, &hints, &c->addrs);
        if (rc != 0) {
            c->addrs = NULL;
            conn_finish(c, EC_PROBE_WHY_NO_ROUTE, "cannot resolve %s: %s",
                        c->target->host,
                        rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
            return 0;
        }
        c->addr = c->addrs;
    }
    /* Its own timeout counts from the moment it really starts. */
    c->start = mono_now();
    c->deadline = c->start + run->timeout;
    return conn_connect_next(c, 0);
}

/* Redis says it cannot serve now: not a wrong answer, not a dead node. */
static bool redis_busy(const char *line, size_t len)
{
    static const char *const busy[] = {"-LOADING", "-BUSY", "-MASTERDOWN",
                                       "-ERR max number of clients"};

    for (size_t i = 0; i < sizeof(busy) / sizeof(busy[0]); i++) {
        size_t n = strlen(busy[i]);

        if (len >= n && memcmp(line, busy[i], n) == 0)
            return true;
    }
    return false;
}

/* The node answered PING; INFO replication's answer is what follows.
 * Whatever it is, the node answers: the probe is OK, and `replication`
 * says what INFO said (NULL, with the reason in `detail`, when it did
 * not say it). A bulk reply still arriving waits for more bytes. */
static void info_answer(probe_conn *c, const char *line, size_t line_len)
{
    ec_redis_replication *rep = NULL;
    char v[96];
    size_t head;
    long long n;
    char *end;

    copy_printable(v, sizeof(v), line, line_len);
    if (line_len < 2 || line[0] != '$') {
        finish_pong(c, "PONG; INFO replication refused: %s", v);
        return;
    }
    errno = 0;
    n = strtoll(line + 1, &end, 10);
    if (errno != 0 || n < 0 || n > PROBE_INFO_MAX ||
        (size_t)(end - line) != line_len) {
        finish_pong(c, "PONG; INFO replication answer too long or malformed");
        return;
    }
    /* `line` is the first line of c->in: header, '\r'?, '\n', then the
     * body and "\r\n" */
    head = (size_t)((const char *)memchr(c->in, '\n', c->in_len) - c->in) + 1;
    if (c->in_len < head + (size_t)n + 2)
        return; /* more to come */
    if (ec_redis_replication_parse(c->in + head, (size_t)n, &rep, NULL) != 0)
        finish_pong(c, "PONG; INFO replication unreadable");
    else
        c->result->replication = rep;
    finish_pong(c, "PONG");
}

/* Judge complete answer lines in c->in. */
static void conn_judge(probe_conn *c)
{
    const probe_profile *p = c->prof;

    /* A TLS record (alert or handshake) to a plain text request: the node
     * speaks TLS. */
    if (c->in_len >= 2 && !c->ssl &&
        ((unsigned char)c->in[0] == 0x15 || (unsigned char)c->in[0] == 0x16) &&
        c->in[1] == 0x03) {
        conn_finish(c, EC_PROBE_WHY_TLS_EXPECTED,
                    "the node answered with TLS: probe it with TLS");
        return;
    }
    for (;;) {
        char *eol = memchr(c->in, '\n', c->in_len);
        size_t line_len, used;
        const char *line = c->in;
        char v[96];

        if (!eol)
            break;
        used = (size_t)(eol - c->in) + 1;
        line_len = used - 1;
        if (line_len > 0 && line[line_len - 1] == '\r')
            line_len--;
        c->replies_seen++;
        if (p->opt.kind == EC_PROBE_MEMCACHED) {
            copy_printable(v, sizeof(v), line, line_len);
            if (line_len > 8 && memcmp(line, "VERSION ", 8) == 0)
                conn_finish(c, EC_PROBE_WHY_NONE, "%s", v);
            else
                conn_finish(c, EC_PROBE_WHY_WRONG_ANSWER,
                            "unexpected answer: %s", v);
            return;
        }
        /* Redis: with AUTH, the first answer is AUTH's. */
        if (c->replies_seen < p->replies_wanted) {
            if (line_len >= 1 && line[0] == '-') {
                copy_printable(v, sizeof(v), line + 1, line_len - 1);
                conn_finish(c, EC_PROBE_WHY_AUTH_REFUSED, "AUTH refused: %s",
                            v);
                return;
            }
        } else {
            copy_printable(v, sizeof(v), line_len ? line + 1 : line,
                           line_len ? line_len - 1 : 0);
            if (c->pong) {
                info_answer(c, line, line_len);
                return;
            }
            if (line_len == 5 && memcmp(line, "+PONG", 5) == 0 &&
                p->opt.redis_replication) {
                c->pong = true;
                c->pong_seconds = mono_now() - c->start;
                memmove(c->in, c->in + used, c->in_len - used);
                c->in_len -= used;
                continue;
            }
            if (line_len == 5 && memcmp(line, "+PONG", 5) == 0)
                conn_finish(c, EC_PROBE_WHY_NONE, "PONG");
            else if (line_len >= 7 && memcmp(line, "-NOAUTH", 7) == 0)
                conn_finish(c, EC_PROBE_WHY_AUTH_REQUIRED, "%s", v);
            else if (redis_busy(line, line_len))
                conn_finish(c, EC_PROBE_WHY_BUSY, "busy: %s", v);
            else
                conn_finish(c, EC_PROBE_WHY_WRONG_ANSWER,
                            "unexpected answer: %s", v);
            return;
        }
        memmove(c->in, c->in + used, c->in_len - used);
        c->in_len -= used;
    }
    if (c->in_len >= PROBE_IN_MAX && !c->pong)
        conn_finish(c, EC_PROBE_WHY_WRONG_ANSWER, "answer too long");
    else if (c->in_len >= PROBE_INFO_MAX + 63)
        finish_pong(c, "PONG; INFO replication answer too long");
}

static void conn_after_connect(probe_conn *c)
{
    int soerr = 0;
    socklen_t len = sizeof(soerr);

    if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0)
        soerr = errno;
    if (soerr != 0) {
        close(c->fd);
        c->fd = -1;
        c->addr = c->addr->ai_next;
        /* No new descriptor for the next address: the node refused this
         * one, which is what it said. */
        if (conn_connect_next(c, soerr) == -2)
            conn_finish(c, connect_why(soerr), "connect failed: %s",
                        strerror(soerr));
        return;
    }
    if (c->prof->opt.tls) {
        if (start_tls(c) != 0)
            conn_finish(c, EC_PROBE_WHY_TLS_ERROR, "TLS setup failed");
        return;
    }
    c->phase = PH_SEND;
    c->events = POLLOUT;
}

/* OpenSSL 3 reports a peer that closed without close_notify as an error,
 * not as a syscall EOF: the node went away, it is no TLS problem. */
static bool peer_closed(int ssl_error)
{
#ifdef SSL_R_UNEXPECTED_EOF_WHILE_READING
    return ssl_error == SSL_ERROR_SSL && ERR_GET_REASON(ERR_peek_error()) ==
                                             SSL_R_UNEXPECTED_EOF_WHILE_READING;
#else
    (void)ssl_error;
    return false;
#endif
}

/* A handshake error that means the other side speaks plain text. */
static bool plaintext_reason(unsigned long code)
{
    int r = ERR_GET_REASON(code);

    return r == SSL_R_WRONG_VERSION_NUMBER ||
           r == SSL_R_PACKET_LENGTH_TOO_LONG || r == SSL_R_HTTP_REQUEST ||
           r == SSL_R_UNKNOWN_PROTOCOL;
}

/* Map an OpenSSL I/O result: 1 to go on (events set), -1 finished. */
static int ssl_want(probe_conn *c, int rc, const char *what)
{
    int e = SSL_get_error(c->ssl, rc);
    unsigned long code;
    char buf[120];

    if (e == SSL_ERROR_WANT_READ) {
        c->events = POLLIN;
        return 1;
    }
    if (e == SSL_ERROR_WANT_WRITE) {
        c->events = POLLOUT;
        return 1;
    }
    if (e == SSL_ERROR_ZERO_RETURN ||
        (e == SSL_ERROR_SYSCALL && ERR_peek_error() == 0) || peer_closed(e)) {
        conn_finish(c, EC_PROBE_WHY_CLOSED, "connection closed during %s",
                    what);
        ERR_clear_error();
        return -1;
    }
    if (c->phase == PH_HANDSHAKE &&
        SSL_get_verify_result(c->ssl) != X509_V_OK) {
        conn_finish(
            c, EC_PROBE_WHY_TLS_VERIFY, "certificate verification failed: %s",
            X509_verify_cert_error_string(SSL_get_verify_result(c->ssl)));
        ERR_clear_error();
        return -1;
    }
    code = ERR_get_error();
    ERR_error_string_n(code, buf, sizeof(buf));
    ERR_clear_error();
    conn_finish(c,
                c->phase == PH_HANDSHAKE && plaintext_reason(code)
                    ? EC_PROBE_WHY_PLAINTEXT
                    : EC_PROBE_WHY_TLS_ERROR,
                "TLS %s failed: %s", what, code ? buf : "unknown error");
    return -1;
}

static void conn_send(probe_conn *c)
{
    const probe_profile *p = c->prof;

    while (c->sent < p->request_len) {
        const char *s = p->request + c->sent;
        size_t left = p->request_len - c->sent;
        ssize_t n;

        if (c->ssl) {
            int rc = SSL_write(c->ssl, s, (int)left);

            if (rc <= 0) {
                ssl_want(c, rc, "write");
                return;
            }
            n = rc;
        } else {
            n = send(c->fd, s, left, MSG_NOSIGNAL);
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                return;
            if (n < 0) {
                conn_finish(c, EC_PROBE_WHY_CLOSED, "send failed: %s",
                            strerror(errno));
                return;
            }
        }
        c->sent += (size_t)n;
    }
    c->phase = PH_RECV;
    c->events = POLLIN;
}

static void conn_recv(probe_conn *c)
{
    /* Read until the socket (and OpenSSL's buffer) is drained. */
    for (;;) {
        size_t room = (c->prof->opt.redis_replication ? PROBE_INFO_MAX + 63
                                                      : PROBE_IN_MAX) -
                      c->in_len;
        ssize_t n;

        if (c->ssl) {
            int rc = SSL_read(c->ssl, c->in + c->in_len, (int)room);

            if (rc <= 0) {
                ssl_want(c, rc, "read");
                return;
            }
            n = rc;
        } else {
            n = recv(c->fd, c->in + c->in_len, room, 0);
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                return;
            if (n < 0) {
                conn_finish(c, EC_PROBE_WHY_CLOSED, "receive failed: %s",
                            strerror(errno));
                return;
            }
            if (n == 0) {
                conn_finish(c, EC_PROBE_WHY_CLOSED,
                            "connection closed before an answer");
                return;
            }
        }
        c->in_len += (size_t)n;
        c->in[c->in_len] = '\0';
        conn_judge(c);
        if (c->phase == PH_DONE)
            return;
    }
}

static void conn_step(probe_conn *c)
{
    switch (c->phase) {
    case PH_CONNECT:
        conn_after_connect(c);
        break;
    case PH_HANDSHAKE: {
        int rc = SSL_do_handshake(c->ssl);

        if (rc == 1) {
            c->phase = PH_SEND;
            c->events = POLLOUT;
        } else {
            ssl_want(c, rc, "handshake");
        }
        break;
    }
    case PH_SEND:
        conn_send(c);
        break;
    case PH_RECV:
        conn_recv(c);
        break;
    case PH_QUEUED:
    case PH_DONE:
        break;
    }
}

/* A probe's own timeout ran out: what it was waiting for says how. */
static void conn_timed_out(const probe_run *run, probe_conn *c)
{
    if (c->phase == PH_CONNECT)
        conn_finish(c, EC_PROBE_WHY_CONNECT_TIMEOUT,
                    "no connection within %.3gs", run->timeout);
    else if (c->phase == PH_HANDSHAKE)
        conn_finish(c, EC_PROBE_WHY_TLS_SILENT, "no TLS handshake within %.3gs",
                    run->timeout);
    else if (c->pong)
        finish_pong(c, "PONG; no INFO replication within %.3gs", run->timeout);
    else
        conn_finish(c, EC_PROBE_WHY_SILENT, "no answer within %.3gs",
                    run->timeout);
}

static bool conn_active(const probe_conn *c)
{
    return c->phase != PH_QUEUED && c->phase != PH_DONE;
}

static void not_started(const probe_run *run, probe_conn *c)
{
    if (run->nofile)
        conn_finish(c, EC_PROBE_WHY_NOT_STARTED,
                    "not probed: no file descriptor free in time "
                    "(RLIMIT_NOFILE %lu, %zu probes at once)",
                    run->nofile, run->budget);
    else
        conn_finish(c, EC_PROBE_WHY_NOT_STARTED,
                    "not probed: no file descriptor free in time");
}

/*
 * Start what the budget allows, in target order. Before the first poll
 * (`first`) every node may start; later a node starts only when its whole
 * timeout still fits before the run's deadline, so that no node is ever
 * judged on less time than the others.
 */
static void start_queued(probe_run *run, probe_conn *conns, size_t n,
                         size_t *next, size_t *active, bool first)
{
    while (*next < n && *active < run->budget) {
        probe_conn *c = &conns[*next];

        if (c->phase == PH_DONE) { /* finished before it began */
            (*next)++;
            continue;
        }
        if (!first && run->total > 0 &&
            mono_now() + run->timeout > run->t0 + run->total) {
            for (; *next < n; (*next)++)
                if (conns[*next].phase == PH_QUEUED)
                    not_started(run, &conns[*next]);
            return;
        }
        if (conn_begin(run, c) == -2) {
            /* The process has fewer descriptors than counted: wait for
             * one of ours, or give up on this one when none is open. */
            if (*active == 0) {
                not_started(run, c);
                (*next)++;
                continue;
            }
            run->budget = *active;
            run->fd_short = true;
            return;
        }
        (*next)++;
        if (conn_active(c))
            (*active)++;
    }
}

/* Probe conns[0..n) in one run. */
static int probe_all(probe_run *run, probe_conn *conns, size_t n, ec_error *err)
{
    struct pollfd *pfds = calloc(n ? n : 1, sizeof(*pfds));
    size_t *which = calloc(n ? n : 1, sizeof(*which));
    size_t next = 0, active = 0;
    bool first = true;
    int ret = -1;

    if (!pfds || !which) {
        ecp_error_set(err, EC_ERR_NOMEM, "out of memory probing nodes");
        goto out;
    }
    run->t0 = mono_now();
    for (;;) {
        nfds_t nfds = 0;
        double now, soonest = 0;
        int ms, rc;

        start_queued(run, conns, n, &next, &active, first);
        first = false;
        now = mono_now();
        active = 0;
        for (size_t i = 0; i < n; i++) {
            probe_conn *c = &conns[i];

            if (!conn_active(c))
                continue;
            if (now >= c->deadline) {
                conn_timed_out(run, c);
                continue;
            }
            if (nfds == 0 || c->deadline < soonest)
                soonest = c->deadline;
            pfds[nfds].fd = c->fd;
            pfds[nfds].events = c->events;
            pfds[nfds].revents = 0;
            which[nfds++] = i;
        }
        active = nfds;
        if (nfds == 0) {
            if (next >= n)
                break;
            continue; /* descriptors are free again: start more */
        }
        ms = (int)((soonest - now) * 1000.0) + 1;
        rc = poll(pfds, nfds, ms);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc < 0) {
            ecp_error_set(err, EC_ERR_INTERNAL, "poll failed: %s",
                          strerror(errno));
            goto out;
        }
        for (nfds_t k = 0; k < nfds; k++) {
            probe_conn *c = &conns[which[k]];

            if (pfds[k].revents)
                conn_step(c);
            if (!conn_active(c))
                active--;
        }
    }
    ret = 0;
out:
    free(pfds);
    free(which);
    return ret;
}

/* The request every node of a profile gets. With AUTH it holds the
 * token. */
static int build_request(probe_profile *p, ec_error *err)
{
    const ec_probe_options *o = &p->opt;
    ecp_buf b = {0};

    if (o->kind == EC_PROBE_MEMCACHED) {
        p->replies_wanted = 1;
        if (ecp_buf_append_str(&b, "version\r\n") != 0)
            goto nomem;
    } else {
        p->replies_wanted = 1;
        if (o->auth_token) {
            size_t tlen = strlen(o->auth_token);

            if (tlen == 0 || tlen > PROBE_TOKEN_MAX)
                return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                                     "the AUTH token must be 1 to %d bytes",
                                     PROBE_TOKEN_MAX);
            p->replies_wanted = 2;
            if (o->auth_user && o->auth_user[0]) {
                if (ecp_buf_printf(&b, "*3\r\n$4\r\nAUTH\r\n$%zu\r\n",
                                   strlen(o->auth_user)) != 0 ||
                    ecp_buf_append_str(&b, o->auth_user) != 0 ||
                    ecp_buf_append_str(&b, "\r\n") != 0)
                    goto nomem;
            } else if (ecp_buf_append_str(&b, "*2\r\n$4\r\nAUTH\r\n") != 0) {
                goto nomem;
            }
            if (ecp_buf_printf(&b, "$%zu\r\n", tlen) != 0 ||
                ecp_buf_append(&b, o->auth_token, tlen) != 0 ||
                ecp_buf_append_str(&b, "\r\n") != 0)
                goto nomem;
        }
        if (ecp_buf_append_str(&b, "*1\r\n$4\r\nPING\r\n") != 0)
            goto nomem;
        /* INFO's answer is read after PONG's (conn->pong), so it is not
         * counted in replies_wanted, which tells AUTH's answer apart. */
        if (o->redis_replication) {
            if (ecp_buf_append_str(&b, "*2\r\n$4\r\nINFO\r\n$11\r\n"
                                       "replication\r\n") != 0)
                goto nomem;
        }
    }
    p->request_len = b.len;
    p->request = ecp_buf_steal(&b);
    return 0;
nomem:
    ecp_buf_free(&b);
    return ecp_error_set(err, EC_ERR_NOMEM, "out of memory building a probe");
}

static int make_tls_context(bool no_verify, const char *ca_bundle,
                            SSL_CTX **out, ec_error *err)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

    *out = NULL;
    if (!ctx)
        return ecp_error_set(err, EC_ERR_INTERNAL,
                             "cannot create a TLS context");
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    if (no_verify) {
        SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    } else {
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
        if (ca_bundle) {
            if (SSL_CTX_load_verify_locations(ctx, ca_bundle, NULL) != 1) {
                ERR_clear_error();
                SSL_CTX_free(ctx);
                return ecp_error_set(err, EC_ERR_CONFIG,
                                     "cannot load CA bundle %s", ca_bundle);
            }
        } else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
            ERR_clear_error();
            SSL_CTX_free(ctx);
            return ecp_error_set(err, EC_ERR_CONFIG,
                                 "cannot load the system CA certificates");
        }
    }
    *out = ctx;
    return 0;
}

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The run's TLS context for these settings, made on first use. */
static SSL_CTX *tls_context(probe_run *run, const ec_probe_options *o,
                            ec_error *err)
{
    tls_ctx_entry *grown;
    SSL_CTX *ctx;

    for (size_t i = 0; i < run->nctxs; i++)
        if (run->ctxs[i].no_verify == o->tls_no_verify &&
            (o->tls_no_verify ||
             same_str(run->ctxs[i].ca_bundle, o->ca_bundle)))
            return run->ctxs[i].ctx;
    if (make_tls_context(o->tls_no_verify, o->ca_bundle, &ctx, err) != 0)
        return NULL;
    grown = realloc(run->ctxs, (run->nctxs + 1) * sizeof(*grown));
    if (!grown) {
        SSL_CTX_free(ctx);
        ecp_error_set(err, EC_ERR_NOMEM, "out of memory probing nodes");
        return NULL;
    }
    run->ctxs = grown;
    run->ctxs[run->nctxs].no_verify = o->tls_no_verify;
    run->ctxs[run->nctxs].ca_bundle = o->ca_bundle;
    run->ctxs[run->nctxs].ctx = ctx;
    run->nctxs++;
    return ctx;
}

/* The profile of an options struct (imported once, at this boundary). The
 * array is sized for every target up front, so profiles never move. */
static const probe_profile *
profile_for(probe_run *run, const ec_probe_options *src, ec_error *err)
{
    probe_profile *p;

    for (size_t i = 0; i < run->nprofiles; i++)
        if (run->profiles[i].src == src)
            return &run->profiles[i];
    p = &run->profiles[run->nprofiles];
    memset(p, 0, sizeof(*p));
    if (ecp_struct_import(&ecp_info_probe_options, &p->opt, src, err) != 0)
        return NULL;
    if (p->opt.kind != EC_PROBE_REDIS && p->opt.kind != EC_PROBE_MEMCACHED) {
        ecp_error_set(err, EC_ERR_INVALID_ARGUMENT, "unknown probe kind");
        return NULL;
    }
    p->src = src;
    run->nprofiles++; /* counted now: freed with the run whatever happens */
    if (build_request(p, err) != 0)
        return NULL;
    if (p->opt.tls) {
        p->ctx = tls_context(run, &p->opt, err);
        if (!p->ctx)
            return NULL;
    }
    return p;
}

static void run_free(probe_run *run)
{
    for (size_t i = 0; i < run->nprofiles; i++) {
        probe_profile *p = &run->profiles[i];

        if (p->request) {
            ec_wipe(p->request, p->request_len);
            free(p->request);
        }
    }
    free(run->profiles);
    for (size_t i = 0; i < run->nctxs; i++)
        SSL_CTX_free(run->ctxs[i].ctx);
    free(run->ctxs);
}

/* Descriptors the process has open now below `limit` (those above it, a
 * debugger's or valgrind's, take nothing from what socket() can get); a
 * guess when /proc says nothing. */
static size_t open_fds(size_t limit)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    size_t n = 0;
    int own;

    if (!d)
        return FD_OPEN_GUESS;
    own = dirfd(d);
    while ((e = readdir(d)) != NULL) {
        char *end = NULL;
        unsigned long fd;

        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        fd = strtoul(e->d_name, &end, 10);
        if (*end || (long)fd == own || fd >= limit)
            continue;
        n++;
    }
    closedir(d);
    return n;
}

/* How many probes may hold a socket at once: what RLIMIT_NOFILE leaves
 * after what is open and a reserve. */
static void fd_budget(probe_run *run, size_t want)
{
    struct rlimit rl;
    size_t used, limit;

    run->budget = want ? want : 1;
    run->nofile = 0;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
        return;
    run->nofile = (unsigned long)rl.rlim_cur;
    limit = (size_t)rl.rlim_cur;
    used = open_fds(limit) + FD_RESERVE;
    if (limit <= used + 1)
        run->budget = 1;
    else if (limit - used < run->budget)
        run->budget = limit - used;
}

/*
 * OpenSSL writes to the socket with plain write(), so a node that closes
 * early would raise SIGPIPE and kill a caller that did not ignore it. The
 * library must not change process-wide signal handling, so SIGPIPE is
 * blocked in this thread only, and one raised meanwhile is consumed.
 */
typedef struct sigpipe_guard {
    sigset_t old;
    bool was_pending;
} sigpipe_guard;

static void sigpipe_block(sigpipe_guard *g)
{
    sigset_t block, pending;

    sigemptyset(&block);
    sigaddset(&block, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &block, &g->old);
    sigpending(&pending);
    g->was_pending = sigismember(&pending, SIGPIPE) == 1;
}

static void sigpipe_restore(sigpipe_guard *g)
{
    sigset_t block, pending;
    struct timespec zero = {0, 0};

    sigemptyset(&block);
    sigaddset(&block, SIGPIPE);
    sigpending(&pending);
    if (!g->was_pending && sigismember(&pending, SIGPIPE) == 1)
        sigtimedwait(&block, NULL, &zero);
    pthread_sigmask(SIG_SETMASK, &g->old, NULL);
}

void ec_probe_results_free(ec_probe_results *results)
{
    size_t i;

    if (!results)
        return;
    for (i = 0; i < results->count; i++) {
        if (results->items[i])
            ec_redis_replication_free(results->items[i]->replication);
        free(results->items[i]);
    }
    free(results->items);
    free(results);
}

static ec_probe_results *results_new(size_t count)
{
    ec_probe_results *r = calloc(1, sizeof(*r));
    size_t i;

    if (!r)
        return NULL;
    r->items = calloc(count ? count : 1, sizeof(*r->items));
    if (!r->items) {
        free(r);
        return NULL;
    }
    for (i = 0; i < count; i++) {
        r->items[i] = calloc(1, sizeof(*r->items[i]));
        r->count = i + 1;
        if (!r->items[i]) {
            ec_probe_results_free(r);
            return NULL;
        }
    }
    return r;
}

/* The caller's targets, imported (the ABI boundary) into one array. */
static int import_targets(const ec_probe_target *const *targets, size_t count,
                          ec_probe_target **out, ec_error *err)
{
    ec_probe_target *t;
    size_t i;

    *out = NULL;
    t = calloc(count ? count : 1, sizeof(*t));
    if (!t)
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory probing nodes");
    for (i = 0; i < count; i++) {
        if (!targets[i]) {
            free(t);
            return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                                 "ec_probe_nodes: target %zu is NULL", i);
        }
        if (ecp_struct_import(&ecp_info_probe_target, &t[i], targets[i], err) !=
            0) {
            free(t);
            return -1;
        }
    }
    *out = t;
    return 0;
}

/* Each target with its profile and result; the ones with nothing to
 * connect to are finished at once. */
static int prepare_conns(probe_run *run, const ec_probe_options *options,
                         const ec_probe_target *targets, size_t count,
                         ec_probe_results *res, probe_conn *conns,
                         ec_error *err)
{
    for (size_t i = 0; i < count; i++) {
        probe_conn *c = &conns[i];
        const ec_probe_options *src =
            targets[i].options ? targets[i].options : options;

        c->fd = -1;
        c->target = &targets[i];
        c->result = res->items[i];
        c->prof = profile_for(run, src, err);
        if (!c->prof)
            return -1;
        if (!c->target->host || !c->target->host[0] || c->target->port <= 0 ||
            c->target->port > 65535)
            conn_finish(c, EC_PROBE_WHY_NOT_STARTED, "no endpoint to probe");
    }
    return 0;
}

int ec_probe_nodes(const ec_probe_target *const *targets, size_t count,
                   const ec_probe_options *options, ec_probe_results **results,
                   ec_error *err)
{
    probe_run run = {0};
    ec_probe_options opt;
    ec_probe_target *imported = NULL;
    ec_probe_results *res = NULL;
    probe_conn *conns = NULL;
    sigpipe_guard guard;
    int ret = -1;

    sigpipe_block(&guard);

    if (results)
        *results = NULL;
    if (!options || !results || (count > 0 && !targets)) {
        ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                      "ec_probe_nodes needs targets, options and results");
        goto out;
    }
    if (ecp_struct_import(&ecp_info_probe_options, &opt, options, err) != 0 ||
        import_targets(targets, count, &imported, err) != 0)
        goto out;
    if (opt.kind != EC_PROBE_REDIS && opt.kind != EC_PROBE_MEMCACHED) {
        ecp_error_set(err, EC_ERR_INVALID_ARGUMENT, "unknown probe kind");
        goto out;
    }
    run.timeout = opt.timeout > 0 ? opt.timeout : 10.0;
    run.total = opt.total_timeout > 0 ? opt.total_timeout : 0;
    if (run.total > 0 && run.timeout > run.total)
        run.timeout = run.total;
    /* One profile per distinct options struct at most: the call's and one
     * per target. */
    run.profiles = calloc(count + 1, sizeof(*run.profiles));
    res = results_new(count);
    conns = calloc(count ? count : 1, sizeof(*conns));
    if (!run.profiles || !res || !conns) {
        ecp_error_set(err, EC_ERR_NOMEM, "out of memory probing nodes");
        goto out;
    }
    /* The call's options are checked (and a CA bundle loaded) even when
     * every target has its own. */
    if (!profile_for(&run, options, err) ||
        prepare_conns(&run, options, imported, count, res, conns, err) != 0)
        goto out;
    fd_budget(&run, count);
    if (probe_all(&run, conns, count, err) != 0)
        goto out;
    *results = res;
    res = NULL;
    ret = 0;
out:
    for (size_t i = 0; conns && i < count; i++) {
        conn_close(&conns[i]);
        if (conns[i].addrs)
            freeaddrinfo(conns[i].addrs);
        ec_wipe(conns[i].in, sizeof(conns[i].in));
    }
    free(conns);
    run_free(&run);
    ec_probe_results_free(res);
    free(imported);
    sigpipe_restore(&guard);
    return ret;
}
