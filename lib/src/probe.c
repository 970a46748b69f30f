/*
 * Cache node probes for the monitoring tools: every node at once over
 * non-blocking sockets and poll(), optionally TLS (OpenSSL, verification on
 * unless told), Redis "PING" after an optional AUTH, memcached "version".
 */
#include "abi.h"

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

/* At most this many sockets open at once; more targets go in batches, each
 * with the full per-node timeout. */
#define PROBE_BATCH_MAX 256
/* An answer longer than this is not PONG or VERSION. */
#define PROBE_IN_MAX 512
/* ElastiCache AUTH tokens are 16-128 characters; refuse absurd ones. */
#define PROBE_TOKEN_MAX 4096

enum phase { PH_CONNECT, PH_HANDSHAKE, PH_SEND, PH_RECV, PH_DONE };

typedef struct probe_conn {
    const ec_probe_target *target;
    ec_probe_result *result;
    struct addrinfo *addrs; /* owned, from getaddrinfo */
    struct addrinfo *addr;  /* the one being tried */
    int fd;
    SSL *ssl;
    enum phase phase;
    short events; /* what poll() should wait for */
    size_t sent;
    char in[PROBE_IN_MAX + 1];
    size_t in_len;
    int replies_seen; /* Redis: AUTH's answer comes before PING's */
} probe_conn;

typedef struct probe_run {
    const ec_probe_options *opt;
    SSL_CTX *ctx;
    char *request; /* holds the AUTH token when given: wiped */
    size_t request_len;
    int replies_wanted;
    struct timespec start;
} probe_run;

static double elapsed_since(const struct timespec *start)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) +
           (double)(now.tv_nsec - start->tv_nsec) / 1e9;
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

/* Finish a probe with a verdict; `fmt` describes it. */
static void conn_finish(probe_run *run, probe_conn *c, ec_probe_status status,
                        const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void conn_finish(probe_run *run, probe_conn *c, ec_probe_status status,
                        const char *fmt, ...)
{
    va_list ap;

    if (c->phase == PH_DONE)
        return;
    c->result->status = status;
    c->result->ok = status == EC_PROBE_OK;
    c->result->seconds = elapsed_since(&run->start);
    va_start(ap, fmt);
    vsnprintf(c->result->detail, sizeof(c->result->detail), fmt, ap);
    va_end(ap);
    c->phase = PH_DONE;
    c->events = 0;
    conn_close(c);
    ec_wipe(c->in, sizeof(c->in));
}

static bool host_is_ip(const char *host)
{
    unsigned char buf[sizeof(struct in6_addr)];

    return inet_pton(AF_INET, host, buf) == 1 ||
           inet_pton(AF_INET6, host, buf) == 1;
}

static int start_tls(probe_run *run, probe_conn *c)
{
    const char *host = c->target->host;

    c->ssl = SSL_new(run->ctx);
    if (!c->ssl || SSL_set_fd(c->ssl, c->fd) != 1)
        return -1;
    if (host_is_ip(host)) {
        if (!run->opt->tls_no_verify &&
            X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(c->ssl), host) != 1)
            return -1;
    } else {
        if (SSL_set_tlsext_host_name(c->ssl, host) != 1)
            return -1;
        if (!run->opt->tls_no_verify && SSL_set1_host(c->ssl, host) != 1)
            return -1;
    }
    SSL_set_connect_state(c->ssl);
    c->phase = PH_HANDSHAKE;
    c->events = POLLOUT;
    return 0;
}

/* Try the next address until a connect is under way or none is left. */
static void conn_connect_next(probe_run *run, probe_conn *c, int last_errno)
{
    for (; c->addr; c->addr = c->addr->ai_next) {
        int fd = socket(c->addr->ai_family, c->addr->ai_socktype | SOCK_CLOEXEC,
                        c->addr->ai_protocol);
        int one = 1;

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
            return;
        }
        last_errno = errno;
        close(fd);
    }
    conn_finish(run, c, EC_PROBE_UNREACHABLE, "connect failed: %s",
                strerror(last_errno ? last_errno : ECONNREFUSED));
}

static void conn_begin(probe_run *run, probe_conn *c)
{
    struct addrinfo hints = {0};
    char port[16];
    int rc;

    c->fd = -1;
    if (!c->target->host || !c->target->host[0] || c->target->port <= 0 ||
        c->target->port > 65535) {
        conn_finish(run, c, EC_PROBE_UNREACHABLE, "no endpoint to probe");
        return;
    }
    snprintf(port, sizeof(port), "%d", c->target->port);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    rc = getaddrinfo(c->target->host, port, &hints, &c->addrs);
    if (rc != 0) {
        conn_finish(run, c, EC_PROBE_UNREACHABLE, "cannot resolve %s: %s",
                    c->target->host, gai_strerror(rc));
        return;
    }
    c->addr = c->addrs;
    conn_connect_next(run, c, 0);
}

/* Judge complete answer lines in c->in. */
static void conn_judge(probe_run *run, probe_conn *c)
{
    for (;;) {
        char *eol = memchr(c->in, '\n', c->in_len);
        size_t line_len, used;
        const char *line = c->in;

        if (!eol)
            break;
        used = (size_t)(eol - c->in) + 1;
        line_len = used - 1;
        if (line_len > 0 && line[line_len - 1] == '\r')
            line_len--;
        c->replies_seen++;
        if (run->opt->kind == EC_PROBE_MEMCACHED) {
            if (line_len > 8 && memcmp(line, "VERSION ", 8) == 0) {
                char v[96];

                copy_printable(v, sizeof(v), line, line_len);
                conn_finish(run, c, EC_PROBE_OK, "%s", v);
            } else {
                char v[96];

                copy_printable(v, sizeof(v), line, line_len);
                conn_finish(run, c, EC_PROBE_BAD_ANSWER,
                            "unexpected answer: %s", v);
            }
            return;
        }
        /* Redis: with AUTH, the first answer is AUTH's. */
        if (c->replies_seen < run->replies_wanted) {
            if (line_len >= 1 && line[0] == '-') {
                char v[96];

                copy_printable(v, sizeof(v), line + 1, line_len - 1);
                conn_finish(run, c, EC_PROBE_AUTH_FAILED, "AUTH refused: %s",
                            v);
                return;
            }
        } else {
            char v[96];

            copy_printable(v, sizeof(v), line_len ? line + 1 : line,
                           line_len ? line_len - 1 : 0);
            if (line_len == 5 && memcmp(line, "+PONG", 5) == 0)
                conn_finish(run, c, EC_PROBE_OK, "PONG");
            else if (line_len >= 7 && memcmp(line, "-NOAUTH", 7) == 0)
                conn_finish(run, c, EC_PROBE_AUTH_FAILED, "%s", v);
            else
                conn_finish(run, c, EC_PROBE_BAD_ANSWER,
                            "unexpected answer: %s", v);
            return;
        }
        memmove(c->in, c->in + used, c->in_len - used);
        c->in_len -= used;
    }
    if (c->in_len >= PROBE_IN_MAX)
        conn_finish(run, c, EC_PROBE_BAD_ANSWER, "answer too long");
}

static void conn_after_connect(probe_run *run, probe_conn *c)
{
    int soerr = 0;
    socklen_t len = sizeof(soerr);

    if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0)
        soerr = errno;
    if (soerr != 0) {
        close(c->fd);
        c->fd = -1;
        c->addr = c->addr->ai_next;
        conn_connect_next(run, c, soerr);
        return;
    }
    if (run->opt->tls) {
        if (start_tls(run, c) != 0)
            conn_finish(run, c, EC_PROBE_TLS_FAILED, "TLS setup failed");
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

/* Map an OpenSSL I/O result: 1 to go on (events set), 0 done, -1 failed. */
static int ssl_want(probe_run *run, probe_conn *c, int rc, const char *what)
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
        conn_finish(run, c, EC_PROBE_UNREACHABLE, "connection closed during %s",
                    what);
        ERR_clear_error();
        return -1;
    }
    if (c->phase == PH_HANDSHAKE &&
        SSL_get_verify_result(c->ssl) != X509_V_OK) {
        conn_finish(
            run, c, EC_PROBE_TLS_FAILED, "certificate verification failed: %s",
            X509_verify_cert_error_string(SSL_get_verify_result(c->ssl)));
        ERR_clear_error();
        return -1;
    }
    code = ERR_get_error();
    ERR_error_string_n(code, buf, sizeof(buf));
    ERR_clear_error();
    conn_finish(run, c, EC_PROBE_TLS_FAILED, "TLS %s failed: %s", what,
                code ? buf : "unknown error");
    return -1;
}

static void conn_step(probe_run *run, probe_conn *c, short revents)
{
    if (c->phase == PH_CONNECT) {
        conn_after_connect(run, c);
        return;
    }
    if (c->phase == PH_HANDSHAKE) {
        int rc = SSL_do_handshake(c->ssl);

        if (rc == 1) {
            c->phase = PH_SEND;
            c->events = POLLOUT;
        } else {
            ssl_want(run, c, rc, "handshake");
        }
        return;
    }
    if (c->phase == PH_SEND) {
        while (c->sent < run->request_len) {
            const char *p = run->request + c->sent;
            size_t left = run->request_len - c->sent;
            ssize_t n;

            if (c->ssl) {
                int rc = SSL_write(c->ssl, p, (int)left);

                if (rc <= 0) {
                    ssl_want(run, c, rc, "write");
                    return;
                }
                n = rc;
            } else {
                n = send(c->fd, p, left, MSG_NOSIGNAL);
                if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                    return;
                if (n < 0) {
                    conn_finish(run, c, EC_PROBE_UNREACHABLE, "send failed: %s",
                                strerror(errno));
                    return;
                }
            }
            c->sent += (size_t)n;
        }
        c->phase = PH_RECV;
        c->events = POLLIN;
        return;
    }
    if (c->phase == PH_RECV) {
        /* Read until the socket (and OpenSSL's buffer) is drained. */
        for (;;) {
            size_t room = PROBE_IN_MAX - c->in_len;
            ssize_t n;

            if (c->ssl) {
                int rc = SSL_read(c->ssl, c->in + c->in_len, (int)room);

                if (rc <= 0) {
                    ssl_want(run, c, rc, "read");
                    return;
                }
                n = rc;
            } else {
                n = recv(c->fd, c->in + c->in_len, room, 0);
                if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                    return;
                if (n < 0) {
                    conn_finish(run, c, EC_PROBE_UNREACHABLE,
                                "receive failed: %s", strerror(errno));
                    return;
                }
                if (n == 0) {
                    conn_finish(run, c, EC_PROBE_UNREACHABLE,
                                "connection closed before an answer");
                    return;
                }
            }
            c->in_len += (size_t)n;
            c->in[c->in_len] = '\0';
            conn_judge(run, c);
            if (c->phase == PH_DONE)
                return;
        }
    }
    ECP_UNUSED(revents);
}

/* Probe targets[0..n) with one deadline. */
static int probe_batch(probe_run *run, const ec_probe_target *targets,
                       ec_probe_result *const *results, size_t n, ec_error *err)
{
    probe_conn *conns = NULL;
    struct pollfd *pfds = NULL;
    size_t *which = NULL;
    double timeout = run->opt->timeout > 0 ? run->opt->timeout : 10.0;
    int ret = -1;

    conns = calloc(n, sizeof(*conns));
    pfds = calloc(n, sizeof(*pfds));
    which = calloc(n, sizeof(*which));
    if (!conns || !pfds || !which) {
        ecp_error_set(err, EC_ERR_NOMEM, "out of memory probing nodes");
        goto out;
    }
    clock_gettime(CLOCK_MONOTONIC, &run->start);
    for (size_t i = 0; i < n; i++) {
        conns[i].target = &targets[i];
        conns[i].result = results[i];
        memset(results[i], 0, sizeof(*results[i]));
        conn_begin(run, &conns[i]);
    }
    for (;;) {
        nfds_t nfds = 0;
        double left = timeout - elapsed_since(&run->start);
        int ms, rc;

        for (size_t i = 0; i < n; i++) {
            if (conns[i].phase == PH_DONE)
                continue;
            pfds[nfds].fd = conns[i].fd;
            pfds[nfds].events = conns[i].events;
            pfds[nfds].revents = 0;
            which[nfds++] = i;
        }
        if (nfds == 0)
            break;
        if (left <= 0) {
            for (size_t k = 0; k < nfds; k++) {
                probe_conn *c = &conns[which[k]];

                conn_finish(run, c, EC_PROBE_UNREACHABLE, "%s within %.3gs",
                            c->phase == PH_CONNECT     ? "no connection"
                            : c->phase == PH_HANDSHAKE ? "no TLS handshake"
                                                       : "no answer",
                            timeout);
            }
            break;
        }
        ms = (int)(left * 1000.0) + 1;
        rc = poll(pfds, nfds, ms);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc < 0) {
            ecp_error_set(err, EC_ERR_INTERNAL, "poll failed: %s",
                          strerror(errno));
            goto out;
        }
        for (nfds_t k = 0; k < nfds; k++) {
            if (pfds[k].revents)
                conn_step(run, &conns[which[k]], pfds[k].revents);
        }
    }
    ret = 0;
out:
    for (size_t i = 0; conns && i < n; i++) {
        conn_close(&conns[i]);
        if (conns[i].addrs)
            freeaddrinfo(conns[i].addrs);
        ec_wipe(conns[i].in, sizeof(conns[i].in));
    }
    free(conns);
    free(pfds);
    free(which);
    return ret;
}

/* The request every node gets. With AUTH it holds the token. */
static int build_request(probe_run *run, ec_error *err)
{
    const ec_probe_options *o = run->opt;
    ecp_buf b = {0};

    if (o->kind == EC_PROBE_MEMCACHED) {
        run->replies_wanted = 1;
        if (ecp_buf_append_str(&b, "version\r\n") != 0)
            goto nomem;
    } else {
        run->replies_wanted = 1;
        if (o->auth_token) {
            size_t tlen = strlen(o->auth_token);

            if (tlen == 0 || tlen > PROBE_TOKEN_MAX)
                return ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                                     "the AUTH token must be 1 to %d bytes",
                                     PROBE_TOKEN_MAX);
            run->replies_wanted = 2;
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
    }
    run->request_len = b.len;
    run->request = ecp_buf_steal(&b);
    return 0;
nomem:
    ecp_buf_free(&b);
    return ecp_error_set(err, EC_ERR_NOMEM, "out of memory building a probe");
}

static int make_tls_context(probe_run *run, ec_error *err)
{
    const ec_probe_options *o = run->opt;

    run->ctx = SSL_CTX_new(TLS_client_method());
    if (!run->ctx)
        return ecp_error_set(err, EC_ERR_INTERNAL,
                             "cannot create a TLS context");
    SSL_CTX_set_min_proto_version(run->ctx, TLS1_2_VERSION);
    if (o->tls_no_verify) {
        SSL_CTX_set_verify(run->ctx, SSL_VERIFY_NONE, NULL);
        return 0;
    }
    SSL_CTX_set_verify(run->ctx, SSL_VERIFY_PEER, NULL);
    if (o->ca_bundle) {
        if (SSL_CTX_load_verify_locations(run->ctx, o->ca_bundle, NULL) != 1) {
            ERR_clear_error();
            return ecp_error_set(err, EC_ERR_CONFIG, "cannot load CA bundle %s",
                                 o->ca_bundle);
        }
    } else if (SSL_CTX_set_default_verify_paths(run->ctx) != 1) {
        ERR_clear_error();
        return ecp_error_set(err, EC_ERR_CONFIG,
                             "cannot load the system CA certificates");
    }
    return 0;
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
    for (i = 0; i < results->count; i++)
        free(results->items[i]);
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

int ec_probe_nodes(const ec_probe_target *const *targets, size_t count,
                   const ec_probe_options *options, ec_probe_results **results,
                   ec_error *err)
{
    probe_run run = {0};
    ec_probe_options opt;
    ec_probe_target *imported = NULL;
    ec_probe_results *res = NULL;
    struct rlimit rl;
    size_t batch = PROBE_BATCH_MAX;
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
    res = results_new(count);
    if (!res) {
        ecp_error_set(err, EC_ERR_NOMEM, "out of memory probing nodes");
        goto out;
    }
    run.opt = &opt;
    /* Leave room for the caller's own descriptors. */
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        rl.rlim_cur / 2 < batch)
        batch = rl.rlim_cur / 2 > 0 ? (size_t)(rl.rlim_cur / 2) : 1;
    if (build_request(&run, err) != 0)
        goto out;
    if (opt.tls && make_tls_context(&run, err) != 0)
        goto out;
    for (size_t off = 0; off < count; off += batch) {
        size_t n = count - off < batch ? count - off : batch;

        if (probe_batch(&run, imported + off, res->items + off, n, err) != 0)
            goto out;
    }
    *results = res;
    res = NULL;
    ret = 0;
out:
    if (run.request) {
        ec_wipe(run.request, run.request_len);
        free(run.request);
    }
    if (run.ctx)
        SSL_CTX_free(run.ctx);
    ec_probe_results_free(res);
    free(imported);
    sigpipe_restore(&guard);
    return ret;
}
