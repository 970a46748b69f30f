/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ec_group_drive: run ec_reboot_replication_group from the shell, with or
 * without a node probe, for the end-to-end tests (tests/bats/e2e) against
 * the simulator whose members are real redis-server processes. Prints the
 * result as ec_group_reboot_result_to_json does (AWS style) on stdout;
 * progress and every probe go to stderr, one line each.
 *
 *   ec_group_drive --group ID [--wait] [--delay S] [--timeout S]
 *       [--probe] [--endpoint-url URL]
 *
 * --probe passes a node probe: EC_NODE_CHECK_ANSWERS is a Redis PING
 * answered +PONG, EC_NODE_CHECK_REPLICA_LINK is INFO replication showing
 * role:slave, master_link_status:up and the primary's port. It talks to
 * the address the library gives (the simulator's fixture: 127.0.0.1).
 *
 * The endpoint defaults to $SIM_URL. Exit status: 0 success, 1 the
 * operation failed (the JSON and stderr say why), 2 bad arguments.
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <jansson.h>

#include "elasticache/elasticache.h"

#define PROBE_TIMEOUT_MS 1000

/* Connect to address:port, send `cmd`, read until `done` says the answer
 * is complete or PROBE_TIMEOUT_MS passes. The answer (NUL-terminated, cut
 * to size) in buf; -1 when nothing could be exchanged. */
static int exchange(const char *address, int port, const char *cmd,
                    bool (*done)(const char *, size_t), char *buf, size_t size)
{
    struct addrinfo hints = {0}, *ai = NULL;
    char service[16];
    size_t len = 0;
    int fd = -1, rc = -1;

    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    snprintf(service, sizeof(service), "%d", port);
    if (getaddrinfo(address, service, &hints, &ai) != 0)
        return -1;
    fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) != 0)
        goto out;
    if (send(fd, cmd, strlen(cmd), MSG_NOSIGNAL) != (ssize_t)strlen(cmd))
        goto out;
    buf[0] = '\0';
    while (len + 1 < size) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        ssize_t n;

        if (poll(&p, 1, PROBE_TIMEOUT_MS) <= 0)
            break;
        n = recv(fd, buf + len, size - 1 - len, 0);
        if (n <= 0)
            break;
        len += (size_t)n;
        buf[len] = '\0';
        if (done(buf, len)) {
            rc = 0;
            break;
        }
    }
out:
    if (fd >= 0)
        close(fd);
    freeaddrinfo(ai);
    return rc;
}

static bool line_done(const char *buf, size_t len)
{
    return len >= 2 && buf[len - 2] == '\r' && buf[len - 1] == '\n';
}

/* A RESP bulk string "$N\r\n<N bytes>\r\n" is complete. */
static bool bulk_done(const char *buf, size_t len)
{
    char *end;
    long n;

    if (len < 4 || buf[0] != '$')
        return line_done(buf, len); /* an error line */
    n = strtol(buf + 1, &end, 10);
    if (end == buf + 1 || end[0] != '\r')
        return false;
    return n < 0 || len >= (size_t)(end - buf) + 2 + (size_t)n + 2;
}

/* The value of "name:" in an INFO answer, copied to out ("" when absent). */
static void info_field(const char *info, const char *name, char *out,
                       size_t size)
{
    size_t nlen = strlen(name), k = 0;
    const char *p = info;

    out[0] = '\0';
    while ((p = strstr(p, name)) != NULL) {
        if ((p == info || p[-1] == '\n') && p[nlen] == ':') {
            p += nlen + 1;
            while (p[k] && p[k] != '\r' && p[k] != '\n' && k + 1 < size) {
                out[k] = p[k];
                k++;
            }
            out[k] = '\0';
            return;
        }
        p += nlen;
    }
}

static bool probe(void *userdata, const ec_node_probe *np)
{
    char buf[8192], role[32], link[32], mport[16];
    bool ok = false;

    (void)userdata;
    if (np->check == EC_NODE_CHECK_ANSWERS) {
        ok = exchange(np->address, np->port, "PING\r\n", line_done, buf,
                      sizeof(buf)) == 0 &&
             strncmp(buf, "+PONG", 5) == 0;
        snprintf(np->detail, np->detail_size, "%s", ok ? "PONG" : "no PONG");
    } else {
        char want[16];

        snprintf(want, sizeof(want), "%d", np->primary_port);
        if (exchange(np->address, np->port, "INFO replication\r\n", bulk_done,
                     buf, sizeof(buf)) != 0) {
            snprintf(np->detail, np->detail_size, "no answer");
        } else {
            info_field(buf, "role", role, sizeof(role));
            info_field(buf, "master_link_status", link, sizeof(link));
            info_field(buf, "master_port", mport, sizeof(mport));
            ok = strcmp(role, "slave") == 0 && strcmp(link, "up") == 0 &&
                 (np->primary_port == 0 || strcmp(mport, want) == 0);
            snprintf(np->detail, np->detail_size,
                     "role:%s master_link_status:%s master_port:%s", role,
                     link[0] ? link : "-", mport[0] ? mport : "-");
        }
    }
    fprintf(stderr, "[%6.2fs] probe %s %s:%d %s: %s\n", np->elapsed,
            np->cache_cluster_id ? np->cache_cluster_id : "?",
            np->address ? np->address : "?", np->port,
            ok ? "passes" : "not yet", np->detail);
    return ok;
}

static void on_progress(void *userdata, const ec_progress *p)
{
    (void)userdata;
    if (p->phase != EC_PROGRESS_STEP || !p->step)
        return;
    fprintf(stderr, "[%6.2fs] step %zu/%zu %s %s: %s\n", p->elapsed,
            p->step_number, p->step_count,
            ec_reboot_step_action_name(p->step->action),
            ec_reboot_step_state_name(p->step->state),
            p->message ? p->message : "");
}

static double number(const char *s, const char *opt)
{
    char *end;
    double v = strtod(s, &end);

    if (end == s || *end || v < 0) {
        fprintf(stderr, "ec_group_drive: %s wants a number, not '%s'\n", opt,
                s);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    ec_config cfg = EC_CONFIG_INIT;
    ec_group_reboot_options o = EC_GROUP_REBOOT_OPTIONS_INIT;
    ec_group_reboot_result *res = NULL;
    ec_client *client = NULL;
    ec_error err;
    json_t *out = NULL;
    char *text = NULL, etext[1024];
    int i, rc = -1;

    ec_error_clear(&err);
    cfg.endpoint_url = getenv("SIM_URL");
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(a, "--wait") == 0)
            o.wait = true;
        else if (strcmp(a, "--probe") == 0)
            o.probe = probe;
        else if (v && strcmp(a, "--group") == 0)
            o.replication_group_id = argv[++i];
        else if (v && strcmp(a, "--delay") == 0)
            o.wait_delay = number(argv[++i], a);
        else if (v && strcmp(a, "--timeout") == 0)
            o.wait_timeout = number(argv[++i], a);
        else if (v && strcmp(a, "--endpoint-url") == 0)
            cfg.endpoint_url = argv[++i];
        else {
            fprintf(stderr, "usage: ec_group_drive --group ID [--wait] "
                            "[--delay S] [--timeout S] [--probe] "
                            "[--endpoint-url URL]\n");
            return 2;
        }
    }
    if (!o.replication_group_id) {
        fprintf(stderr, "ec_group_drive: --group is required\n");
        return 2;
    }
    o.progress = on_progress;
    client = ec_client_new(&cfg, &err);
    if (client)
        rc = ec_reboot_replication_group(client, &o, &res, &err);
    if (res) {
        out = ec_group_reboot_result_to_json(res, EC_JSON_AWS);
        text = out ? json_dumps(out, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
        if (text)
            printf("%s\n", text);
    }
    if (rc != 0) {
        ec_error_format(&err, etext, sizeof(etext));
        fprintf(stderr, "ec_group_drive: %s\n", etext);
    }
    free(text);
    json_decref(out);
    ec_group_reboot_result_free(res);
    ec_client_free(client);
    return rc == 0 ? 0 : 1;
}
