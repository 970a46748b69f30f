/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_elasticache: Nagios/Icinga check of an ElastiCache cluster (or every
 * cluster of a region): API state, then every node probed, following the
 * Monitoring Plugins Development Guidelines.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <elasticache/elasticache.h>

#include "cluster.h"
#include "deadline.h"
#include "group.h"
#include "judge.h"
#include "monitoring.h"
#include "output.h"

#define PROGNAME "check_elasticache"
#define DEFAULT_TIMEOUT 10.0
/* The library's calls get this much less than what is left, so they fail
 * (and we say why) before the SIGALRM safety net fires. */
#define TIMEOUT_MARGIN 0.5

typedef struct check_config {
    const char *cluster_id;
    const char *group_id; /* -G: a replication group */
    bool all;
    double timeout;
    int verbose;
    mon_thresholds latency;
    mon_count_range unresponsive_warning;
    mon_count_range unresponsive_critical;
    mon_state pending_state;
    mon_thresholds link; /* -G: on each replica's last I/O, seconds */
    mon_common common;
    /* set when parsing ends the run: exit code and text to print */
    bool done;
    int exit_code;
    char message[512];
} check_config;

/* ------------------------------------------------------------------ */
/* Timeout safety net                                                  */
/* ------------------------------------------------------------------ */

enum stage {
    STAGE_SETUP,
    STAGE_DESCRIBE,
    STAGE_PROBE,
    STAGE_REPORT,
    STAGE_DESCRIBE_GROUP,
    STAGE_COUNT
};

static const char *const stage_names[STAGE_COUNT] = {
    "setting up the API client",         "calling DescribeCacheClusters",
    "probing the cache nodes",           "writing the report",
    "calling DescribeReplicationGroups",
};

static double monotonic_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------ */
/* Arguments                                                           */
/* ------------------------------------------------------------------ */

static void print_usage(FILE *out)
{
    fputs("Usage: " PROGNAME
          " -C CLUSTER_ID | -G GROUP_ID | --all [-w RANGE] [-c RANGE]\n"
          "       [-t SECS] [-v] [--link-warning RANGE] [--link-critical "
          "RANGE]\n"
          "       [--unresponsive-warning RANGE] [--unresponsive-critical "
          "RANGE]\n"
          "       [--pending-reboot-state ok|warning|critical] [--no-probe]\n"
          "       [--region R] [--profile P] [--endpoint-url URL] "
          "[--ca-bundle F]\n"
          "       [--auth-token-file F | --auth-token-env NAME]\n"
          "       [--auth-token-dir D | --auth-token-map F] [--auth | "
          "--no-auth]\n"
          "       [--tls | --no-tls]\n",
          out);
}

static void print_help(void)
{
    printf("%s %s (libelasticache %s)\n", PROGNAME, EC_VERSION_STRING,
           ec_version());
    puts("Checks an Amazon ElastiCache cluster: the state the API reports, "
         "then each\n"
         "cache node answering (Redis PING, memcached version), in "
         "parallel.\n");
    print_usage(stdout);
    puts("\nOptions:\n"
         "  -h, --help             this help (exit 3, as monitoring-plugins)\n"
         "  -V, --version          version (exit 3)\n"
         "  -v, --verbose          more output; repeat for more (-vvv: API "
         "debug lines)\n"
         "  -t, --timeout SECS     whole-check timeout (default 10); UNKNOWN "
         "naming the stage\n"
         "  -C, --cluster-id ID    the cache cluster to check\n"
         "  -G, --replication-group ID\n"
         "                         a Redis replication group: its status, "
         "members, roles,\n"
         "                         the primary answering and each replica's "
         "link to it\n"
         "                         (INFO replication); cluster mode enabled: "
         "each shard so\n"
         "                         judged, the worst wins\n"
         "      --link-warning RANGE\n"
         "                         -G: WARNING range for a replica's "
         "master_last_io_seconds_ago\n"
         "      --link-critical RANGE\n"
         "                         -G: CRITICAL range for the same\n"
         "      --all              every cluster in the region; worst state "
         "wins\n"
         "  -w, --warning RANGE    WARNING range for the slowest node's "
         "response time (s)\n"
         "  -c, --critical RANGE   CRITICAL range for the same\n"
         "      --unresponsive-warning RANGE\n"
         "                         WARNING range for the number of nodes of a "
         "cluster that\n"
         "                         do not answer, or their percentage with "
         "a trailing %\n"
         "                         (\"0\": one is WARNING; \"34%\")\n"
         "      --unresponsive-critical RANGE\n"
         "                         CRITICAL range for the same. Without "
         "either, any node\n"
         "                         that does not answer is CRITICAL; with "
         "either, they\n"
         "                         alone decide\n"
         "      --pending-reboot-state STATE\n"
         "                         state for a pending reboot "
         "(pending-reboot): ok, warning\n"
         "                         (default) or critical\n");
    mon_common_help(stdout);
    puts("\nRanges (Monitoring Plugins syntax): 10 (alert outside 0..10), 10: "
         "(below 10),\n"
         "~:10 (above 10), 10:20 (outside 10..20), @10:20 (inside "
         "10..20).\n\n"
         "States: available OK; creating, modifying, snapshotting, rebooting "
         "WARNING;\n"
         "deleting, deleted, incompatible-network, restore-failed, not found "
         "CRITICAL;\n"
         "a node that does not answer CRITICAL (the text says when no node "
         "answered a\n"
         "connection at all: the network path looks cut); a node that is "
         "busy WARNING;\n"
         "a probe setting to fix (AUTH, TLS, a forced setting the cluster "
         "contradicts,\n"
         "a wrong answer), API, credential and throttling errors UNKNOWN.\n\n"
         "-G: the group's status as a cluster's; a dead primary CRITICAL "
         "(saying whether\n"
         "automatic failover replaces it); a replica not answering CRITICAL; "
         "a replica\n"
         "whose link to the primary is down CRITICAL, WARNING while the "
         "group or the\n"
         "member is not available or the replica resynchronises. Cluster "
         "mode enabled:\n"
         "each shard (node group) so, roles from each node's INFO "
         "replication; a shard\n"
         "with no primary answering CRITICAL (WARNING while the group or "
         "shard is not\n"
         "available); the first line names the shards not OK, the worst "
         "first.");
}

static check_config stop(check_config c, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static check_config stop(check_config c, int code, const char *fmt, ...)
{
    va_list ap;

    c.done = true;
    c.exit_code = code;
    va_start(ap, fmt);
    vsnprintf(c.message, sizeof(c.message), fmt, ap);
    va_end(ap);
    return c;
}

static check_config parse_args(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"verbose", no_argument, NULL, 'v'},
        {"timeout", required_argument, NULL, 't'},
        {"cluster-id", required_argument, NULL, 'C'},
        {"replication-group", required_argument, NULL, 'G'},
        {"link-warning", required_argument, NULL, 'L'},
        {"link-critical", required_argument, NULL, 'M'},
        {"warning", required_argument, NULL, 'w'},
        {"critical", required_argument, NULL, 'c'},
        {"all", no_argument, NULL, 'A'},
        {"pending-reboot-state", required_argument, NULL, 'P'},
        {"unresponsive-warning", required_argument, NULL, 'U'},
        {"unresponsive-critical", required_argument, NULL, 'K'},
        MON_COMMON_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    check_config c = {0};
    mon_common common = MON_COMMON_INIT;
    int opt;

    c.timeout = DEFAULT_TIMEOUT;
    c.pending_state = MON_WARNING;
    c.common = common;
    opterr = 0; /* all output goes to stdout, in our words */
    while ((opt = getopt_long(argc, argv, ":hVvt:C:G:w:c:", longopts, NULL)) !=
           -1) {
        const char *why = NULL;
        char bad[256];

        switch (opt) {
        case 'h':
            print_help();
            return stop(c, MON_UNKNOWN, "%s", "");
        case 'V':
            return stop(c, MON_UNKNOWN, "%s %s (libelasticache %s)", PROGNAME,
                        EC_VERSION_STRING, ec_version());
        case 'v':
            c.verbose++;
            break;
        case 't':
            if (mon_parse_seconds(optarg, &c.timeout) != 0)
                return stop(c, MON_UNKNOWN,
                            "-t/--timeout wants a positive number of seconds, "
                            "not '%s'",
                            optarg);
            break;
        case 'C':
            c.cluster_id = optarg;
            break;
        case 'w':
        case 'c':
            if (mon_range_parse(optarg,
                                opt == 'w' ? &c.latency.warning
                                           : &c.latency.critical,
                                &why) != 0)
                return stop(c, MON_UNKNOWN, "bad %s range '%s': %s",
                            opt == 'w' ? "-w/--warning" : "-c/--critical",
                            optarg, why);
            break;
        case 'A':
            c.all = true;
            break;
        case 'G':
            c.group_id = optarg;
            break;
        case 'L':
        case 'M':
            if (mon_range_parse(optarg,
                                opt == 'L' ? &c.link.warning : &c.link.critical,
                                &why) != 0)
                return stop(c, MON_UNKNOWN, "bad %s range '%s': %s",
                            opt == 'L' ? "--link-warning" : "--link-critical",
                            optarg, why);
            break;
        case 'U':
        case 'K':
            if (mon_count_range_parse(optarg,
                                      opt == 'U' ? &c.unresponsive_warning
                                                 : &c.unresponsive_critical,
                                      &why) != 0)
                return stop(c, MON_UNKNOWN, "bad %s range '%s': %s",
                            opt == 'U' ? "--unresponsive-warning"
                                       : "--unresponsive-critical",
                            optarg, why);
            break;
        case 'P':
            if (mon_state_parse(optarg, &c.pending_state) != 0 ||
                c.pending_state == MON_UNKNOWN)
                return stop(c, MON_UNKNOWN,
                            "--pending-reboot-state wants ok, warning or "
                            "critical, not '%s'",
                            optarg);
            break;
        default:
            if (mon_common_getopt(&c.common, opt, optarg, argv[optind - 1], bad,
                                  sizeof(bad)) != 0)
                return stop(c, MON_UNKNOWN, "%s", bad);
            break;
        }
    }
    if (optind < argc)
        return stop(c, MON_UNKNOWN, "unexpected argument '%s'", argv[optind]);
    if (!c.cluster_id && !c.all && !c.group_id)
        return stop(c, MON_UNKNOWN, "%s",
                    "give -C/--cluster-id ID, -G/--replication-group ID or "
                    "--all");
    if ((c.cluster_id ? 1 : 0) + (c.all ? 1 : 0) + (c.group_id ? 1 : 0) > 1)
        return stop(c, MON_UNKNOWN, "%s",
                    "give one of -C/--cluster-id, -G/--replication-group and "
                    "--all");
    if (!c.group_id && (c.link.warning.set || c.link.critical.set))
        return stop(c, MON_UNKNOWN, "%s",
                    "--link-warning and --link-critical go with "
                    "-G/--replication-group");
    {
        char why[256];

        if (mon_common_check(&c.common, why, sizeof(why)) != 0)
            return stop(c, MON_UNKNOWN, "%s", why);
    }
    /* The cluster id is checked where the library receives it (describe),
     * once: a bad one ends as a usage error there. */
    return c;
}

/* ------------------------------------------------------------------ */
/* Running the check                                                   */
/* ------------------------------------------------------------------ */

/* --all: a cluster that is not OK, as the first line names it. Only
 * these are kept, each summary sized to its text; the OK clusters are
 * only counted (mon_tally), so a fleet's memory grows with its problems,
 * not with a 1 KB verdict per cluster. */
typedef struct problem {
    mon_state state;
    char *summary;
} problem;

typedef struct report {
    mon_state state;
    char first[2048]; /* the first line's text (a head for --all) */
    /* --all: the clusters not OK in fleet order, then their summaries
     * worst first for the first line (borrowed from problems) */
    problem *problems;
    size_t nproblems, problems_cap;
    const char **items;
    size_t nitems;
    bool usage; /* a bad argument: the usage follows the output */
    mon_perfdata perf;
    FILE *longout; /* long output, one line per node or cluster */
    char *long_text;
    size_t long_len;
    FILE *debug; /* -vvv library debug lines, after the long output */
    char *debug_text;
    size_t debug_len;
    mon_shard_verdict *shards; /* -G, cluster mode enabled */
} report;

static void on_debug(void *userdata, const char *line)
{
    report *r = userdata;

    if (r->debug && r->debug_len < 65536) {
        fprintf(r->debug, "debug: %s", line);
        fputc('\0', r->debug);
    }
}

/* Long output lines end in NUL, not '\n': a newline inside an API string
 * then cannot start a line of its own (the builder replaces it). */
static void end_line(report *r)
{
    fputc('\0', r->longout);
}

static void fail(report *r, mon_state s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(report *r, mon_state s, const char *fmt, ...)
{
    va_list ap;

    r->state = s;
    va_start(ap, fmt);
    vsnprintf(r->first, sizeof(r->first), fmt, ap);
    va_end(ap);
}

static const mon_bound zero = {true, 0};

/* Count perfdata: label, value, and whether it is out of the node count. */
typedef struct count_row {
    const char *label;
    size_t value;
    bool of_nodes;
    const mon_thresholds *t;
} count_row;

static void add_counts(mon_perfdata *p, const count_row *rows, size_t n,
                       size_t nodes)
{
    for (size_t i = 0; i < n; i++)
        mon_perfdata_add(
            p, rows[i].label, (double)rows[i].value, "", rows[i].t, zero,
            rows[i].of_nodes ? MON_BOUND((double)nodes) : MON_NO_BOUND);
}

/* The unresponsive ranges as perfdata thresholds: only counts; a
 * percentage has no place in a count's warn/crit fields. */
static mon_thresholds count_thresholds(const check_config *cfg)
{
    mon_thresholds t = {0};

    if (!cfg->unresponsive_warning.percent)
        t.warning = cfg->unresponsive_warning.range;
    if (!cfg->unresponsive_critical.percent)
        t.critical = cfg->unresponsive_critical.range;
    return t;
}

/* What a node's probe is, in a word, for its long output line. */
static const char *node_word(const mon_node_probe *np, mon_node_class cls)
{
    const ec_probe_result *pr = np->result;

    if (!np->probed)
        return np->skipped;
    switch (cls) {
    case MON_NODE_OK:
        return "answers";
    case MON_NODE_BROKEN:
        return "UNRESPONSIVE";
    case MON_NODE_NO_CONNECTION:
        return "NO CONNECTION";
    case MON_NODE_BUSY:
        return "BUSY";
    case MON_NODE_UNPROBED:
        return "NOT PROBED";
    case MON_NODE_MISCONFIGURED:
        break;
    }
    if (pr->status == EC_PROBE_AUTH_FAILED)
        return "AUTH FAILED";
    if (pr->status == EC_PROBE_TLS_FAILED)
        return "TLS FAILED";
    if (pr->status == EC_PROBE_BAD_ANSWER)
        return "ANSWERS WRONGLY";
    return "SETTING WRONG";
}

static void node_lines(report *r, const ec_cache_cluster *cl,
                       const mon_node_probe *probes, size_t count,
                       const mon_plan *plan)
{
    mon_cluster_reading cr;

    mon_cluster_read(probes, count, plan, &cr);
    for (size_t i = 0; i < count; i++) {
        const ec_cache_node *n = probes[i].node;
        const ec_probe_result *pr = probes[i].result;
        mon_node_reading nr = mon_node_read(probes[i].probed, pr, plan);
        mon_node_class cls = mon_cluster_node_class(&cr, nr);

        fprintf(r->longout, "%s node %s %s %s:%lld: %s",
                cl->cache_cluster_id ? cl->cache_cluster_id : "?",
                n->cache_node_id ? n->cache_node_id : "?",
                n->cache_node_status ? n->cache_node_status : "?",
                n->endpoint && n->endpoint->address ? n->endpoint->address
                                                    : "-",
                n->endpoint && n->endpoint->port.set
                    ? (long long)n->endpoint->port.value
                    : 0LL,
                node_word(&probes[i], cls));
        if (probes[i].probed)
            fprintf(r->longout, " (%s, %.6gs)", pr->detail, pr->seconds);
        if (cls == MON_NODE_MISCONFIGURED && nr.fix)
            fprintf(r->longout, ": %s", nr.fix);
        end_line(r);
    }
}

/* How a cluster was probed, for -v. */
static void plan_line(report *r, const ec_cache_cluster *cl, const mon_plan *p)
{
    static const char *const api_tls[] = {"off", "required", "preferred"};

    fprintf(r->longout, "%s probe: TLS %s (%s; cluster: %s), AUTH %s (%s%s)",
            cl->cache_cluster_id ? cl->cache_cluster_id : "?",
            p->tls ? "on" : "off", p->tls_forced ? "forced" : "from the API",
            api_tls[p->api_tls], p->auth ? "on" : "off",
            p->auth_forced ? "forced" : "AuthTokenEnabled=",
            p->auth_forced ? "" : (p->api_auth ? "true" : "false"));
    end_line(r);
}

static double remaining(double deadline)
{
    double left = deadline - monotonic_now() - TIMEOUT_MARGIN;

    return left > 0.1 ? left : 0.1;
}

/* The API client, with what is left of the deadline for each call. */
static ec_client *make_client(const check_config *cfg, double deadline,
                              report *r)
{
    ec_config ac = mon_client_config(&cfg->common);
    ec_error err = {0};
    ec_client *client;
    char errtext[768];

    mon_deadline_stage(STAGE_SETUP);
    ac.read_timeout = remaining(deadline);
    ac.connect_timeout = ac.read_timeout < 10 ? ac.read_timeout : 10;
    /* A credential_process must answer within the check's budget too. */
    ac.credential_process_timeout = ac.read_timeout;
    if (cfg->verbose >= 3) {
        ac.debug = on_debug;
        ac.debug_userdata = r;
    }
    client = ec_client_new(&ac, &err);
    if (!client) {
        ec_error_format(&err, errtext, sizeof(errtext));
        fail(r, MON_UNKNOWN, "cannot set up the API client: %s", errtext);
    }
    return client;
}

/* The cluster (or, with --all, every cluster) with its nodes. */
static int describe(const check_config *cfg, ec_client *client,
                    ec_describe_cache_clusters_output **out, double *api_time,
                    report *r)
{
    ec_describe_cache_clusters_input in = EC_DESCRIBE_CACHE_CLUSTERS_INPUT_INIT;
    ec_error err = {0};
    char errtext[768];
    double t0 = monotonic_now();
    int rc;

    mon_deadline_stage(STAGE_DESCRIBE);
    in.cache_cluster_id = cfg->cluster_id;
    in.show_cache_node_info.set = true;
    in.show_cache_node_info.value = true;
    if (cfg->all) {
        in.max_records.set = true;
        in.max_records.value = 100;
        rc = ec_describe_cache_clusters_all(client, &in, out, &err);
    } else {
        rc = ec_describe_cache_clusters(client, &in, out, &err);
    }
    *api_time = monotonic_now() - t0;
    if (rc == 0 && !cfg->all && (*out)->cache_clusters.count != 1) {
        fail(r, MON_CRITICAL, "cluster %s not found (%zu in the answer)",
             cfg->cluster_id, (*out)->cache_clusters.count);
        return -1;
    }
    if (rc == 0)
        return 0;
    ec_error_format(&err, errtext, sizeof(errtext));
    if (err.code == EC_ERR_INVALID_ARGUMENT) {
        /* Refused before any request: the cluster id is bad. */
        fail(r, MON_UNKNOWN, "bad cluster id: %s", err.message);
        r->usage = true;
    } else if (err.code == EC_ERR_SERVICE &&
               strcmp(err.aws_code, "CacheClusterNotFound") == 0) {
        fail(r, MON_CRITICAL, "cluster %s not found (%s)", cfg->cluster_id,
             err.aws_code);
    } else if (err.code == EC_ERR_TIMEOUT) {
        fail(r, MON_UNKNOWN, "timed out while %s: %s",
             stage_names[STAGE_DESCRIBE], errtext);
    } else {
        fail(r, MON_UNKNOWN, "%s", errtext);
    }
    return -1;
}

/* Half of -t unless told: a silent node then costs half the budget, and
 * the answer still comes well within Nagios's check timeout. */
static double probe_timeout(const check_config *cfg)
{
    return cfg->common.probe_timeout > 0 ? cfg->common.probe_timeout
                                         : cfg->timeout / 2;
}

/* Every node of every cluster in one run, within what is left of -t. */
static int probe(const check_config *cfg, double deadline,
                 const mon_tokens *tokens,
                 const ec_describe_cache_clusters_output *out,
                 mon_fleet_probe *fleet, report *r)
{
    ec_error err = {0};
    char errtext[768];
    double total = remaining(deadline), timeout = probe_timeout(cfg);

    mon_deadline_stage(STAGE_PROBE);
    if (timeout > total)
        timeout = total;
    if (mon_probe_clusters(
            (const ec_cache_cluster *const *)out->cache_clusters.items,
            out->cache_clusters.count, &cfg->common, timeout, total, tokens,
            fleet, &err) != 0) {
        ec_error_format(&err, errtext, sizeof(errtext));
        fail(r, MON_UNKNOWN, "cannot probe the nodes: %s", errtext);
        return -1;
    }
    return 0;
}

static mon_judge_options judge_options(const check_config *cfg,
                                       const mon_fleet_probe *fleet)
{
    mon_judge_options jo = {0};

    jo.latency = cfg->latency;
    jo.pending_state = cfg->pending_state;
    jo.no_probe = cfg->common.no_probe;
    jo.probe_timeout = fleet->timeout;
    jo.unresponsive_warning = cfg->unresponsive_warning;
    jo.unresponsive_critical = cfg->unresponsive_critical;
    return jo;
}

/* A node's perfdata value: its answer's time; the probe timeout when it
 * did not answer (an outage must not graph as fast); NaN (left out) when
 * it was not probed. */
static double node_seconds(const mon_node_probe *np, double timeout)
{
    if (!np->probed || !np->result || np->result->status == EC_PROBE_NOT_PROBED)
        return (double)NAN;
    if (np->result->status == EC_PROBE_UNREACHABLE)
        return timeout;
    return np->result->seconds;
}

/* -C: the cluster's state, counts and every node's response time. */
static void report_cluster(const check_config *cfg, const ec_cache_cluster *cl,
                           const mon_fleet_probe *fleet, double api_time,
                           report *r)
{
    mon_judge_options jo = judge_options(cfg, fleet);
    mon_thresholds ct = count_thresholds(cfg);
    mon_verdict v;

    mon_judge_cluster(cl, fleet->nodes, fleet->count, &fleet->plans[0], &jo,
                      &v);
    r->state = v.state;
    snprintf(r->first, sizeof(r->first), "%s", v.summary);
    {
        const count_row rows[] = {
            {"nodes", v.nodes, false, NULL},
            {"nodes_available", v.available, true, NULL},
            {"nodes_rebooting", v.rebooting, true, NULL},
            {"nodes_unresponsive", v.unresponsive, true, &ct},
            {"nodes_pending_reboot", v.pending, true, NULL},
        };

        add_counts(&r->perf, rows, sizeof(rows) / sizeof(rows[0]), v.nodes);
    }
    mon_perfdata_add(&r->perf, "slowest",
                     v.slowest_all >= 0 ? v.slowest_all : (double)NAN, "s",
                     &cfg->latency, zero, MON_NO_BOUND);
    for (size_t i = 0; !cfg->common.no_probe && i < fleet->count; i++) {
        const mon_node_probe *np = &fleet->nodes[i];
        char label[64];

        snprintf(label, sizeof(label), "node %s",
                 np->node->cache_node_id ? np->node->cache_node_id : "?");
        mon_perfdata_add(&r->perf, label, node_seconds(np, fleet->timeout), "s",
                         &cfg->latency, zero, MON_NO_BOUND);
    }
    mon_perfdata_add(&r->perf, "api_time", api_time, "s", NULL, zero,
                     MON_NO_BOUND);
    if (cfg->verbose >= 1 && !cfg->common.no_probe)
        plan_line(r, cl, &fleet->plans[0]);
    node_lines(r, cl, fleet->nodes, fleet->count, &fleet->plans[0]);
}

/* Precedence for the order of the problems on the first line. */
static int severity(mon_state s)
{
    return s == MON_CRITICAL  ? 0
           : s == MON_WARNING ? 1
           : s == MON_UNKNOWN ? 2
                              : 3;
}

/* Keep a cluster's state and a copy of its summary: 0, or -1 when memory
 * runs out. */
static int keep_problem(report *r, const mon_verdict *v)
{
    problem *p;

    if (r->nproblems == r->problems_cap) {
        size_t cap = r->problems_cap ? 2 * r->problems_cap : 16;

        p = realloc(r->problems, cap * sizeof(*p));
        if (!p)
            return -1;
        r->problems = p;
        r->problems_cap = cap;
    }
    p = &r->problems[r->nproblems];
    p->state = v->state;
    p->summary = strdup(v->summary);
    if (!p->summary)
        return -1;
    r->nproblems++;
    return 0;
}

static void report_free(report *r)
{
    for (size_t i = 0; i < r->nproblems; i++)
        free(r->problems[i].summary);
    free(r->problems);
    free(r->items);
    free(r->shards);
}

/* --all: every cluster judged, the worst state wins, the counts added. */
static void report_fleet(const check_config *cfg,
                         const ec_describe_cache_clusters_output *out,
                         const mon_fleet_probe *fleet, double api_time,
                         report *r)
{
    mon_judge_options jo = judge_options(cfg, fleet);
    mon_thresholds ct = count_thresholds(cfg);
    mon_tally t = MON_TALLY_INIT;
    size_t n = out->cache_clusters.count;
    mon_verdict v; /* one at a time: the tally and problems keep the rest */

    for (size_t i = 0; i < n; i++) {
        const ec_cache_cluster *cl = out->cache_clusters.items[i];
        size_t first = fleet->first[i], count = fleet->first[i + 1] - first;

        mon_judge_cluster(cl, fleet->nodes + first, count, &fleet->plans[i],
                          &jo, &v);
        mon_tally_add(&t, &v);
        if (v.state != MON_OK && keep_problem(r, &v) != 0) {
            fail(r, MON_UNKNOWN, "out of memory");
            return;
        }
        if (v.state != MON_OK || cfg->verbose >= 1) {
            fprintf(r->longout, "%s: %s", mon_state_name(v.state), v.summary);
            end_line(r);
        }
        if (cfg->verbose >= 2) {
            if (!cfg->common.no_probe)
                plan_line(r, cl, &fleet->plans[i]);
            node_lines(r, cl, fleet->nodes + first, count, &fleet->plans[i]);
        }
    }
    /* The first line names the clusters not OK, the worst first, while
     * they fit; the rest as "+N more". */
    r->items = calloc(r->nproblems ? r->nproblems : 1, sizeof(*r->items));
    if (!r->items) {
        fail(r, MON_UNKNOWN, "out of memory");
        return;
    }
    for (int rank = 0; rank < 3; rank++)
        for (size_t i = 0; i < r->nproblems; i++)
            if (severity(r->problems[i].state) == rank)
                r->items[r->nitems++] = r->problems[i].summary;
    r->state = t.state;
    mon_tally_summary(&t, r->first, sizeof(r->first));
    {
        const count_row rows[] = {
            {"clusters", t.clusters, false, NULL},
            {"clusters_ok", t.by_state[MON_OK], false, NULL},
            {"clusters_warning", t.by_state[MON_WARNING], false, NULL},
            {"clusters_critical", t.by_state[MON_CRITICAL], false, NULL},
            {"clusters_unknown", t.by_state[MON_UNKNOWN], false, NULL},
            {"nodes", t.nodes, false, NULL},
            {"nodes_rebooting", t.rebooting, true, NULL},
            {"nodes_unresponsive", t.unresponsive, true, NULL},
            {"nodes_pending_reboot", t.pending, true, NULL},
        };

        (void)ct; /* the ranges are per cluster: not on the fleet's count */
        add_counts(&r->perf, rows, sizeof(rows) / sizeof(rows[0]), t.nodes);
    }
    mon_perfdata_add(&r->perf, "slowest",
                     t.slowest_all >= 0 ? t.slowest_all : (double)NAN, "s",
                     &cfg->latency, zero, MON_NO_BOUND);
    mon_perfdata_add(&r->perf, "api_time", api_time, "s", NULL, zero,
                     MON_NO_BOUND);
}

/* ------------------------------------------------------------------ */
/* -G: a replication group                                             */
/* ------------------------------------------------------------------ */

/* A group's member counts as perfdata, both kinds of group alike. */
static void add_member_counts(report *r, const mon_group_verdict *v)
{
    const count_row rows[] = {
        {"members", v->members, false, NULL},
        {"members_unresponsive", v->unresponsive, true, NULL},
        {"replicas", v->replicas, false, NULL},
    };

    add_counts(&r->perf, rows, sizeof(rows) / sizeof(rows[0]), v->members);
    mon_perfdata_add(&r->perf, "replicas_linked", (double)v->links_up, "", NULL,
                     zero, MON_BOUND((double)v->replicas));
}

/* The group and its members, described. */
typedef struct group_run {
    ec_describe_replication_groups_output *rg;
    const ec_replication_group *g;
    ec_describe_cache_clusters_output **outs; /* one per member, or NULL */
    const ec_cache_cluster **clusters;        /* the described ones */
    size_t nclusters;
    mon_group_member *members;
    size_t nmembers;
    mon_fleet_probe fleet;
} group_run;

static void group_run_free(group_run *gr)
{
    mon_fleet_probe_free(&gr->fleet);
    for (size_t i = 0; gr->outs && i < gr->nmembers; i++)
        ec_describe_cache_clusters_output_free(gr->outs[i]);
    free(gr->outs);
    free(gr->clusters);
    free(gr->members);
    ec_describe_replication_groups_output_free(gr->rg);
}

static int describe_group(const check_config *cfg, ec_client *client,
                          group_run *gr, double *api_time, report *r)
{
    ec_describe_replication_groups_input in =
        EC_DESCRIBE_REPLICATION_GROUPS_INPUT_INIT;
    ec_error err = {0};
    char errtext[768];
    double t0 = monotonic_now();
    int rc;

    mon_deadline_stage(STAGE_DESCRIBE_GROUP);
    in.replication_group_id = cfg->group_id;
    rc = ec_describe_replication_groups(client, &in, &gr->rg, &err);
    *api_time += monotonic_now() - t0;
    if (rc == 0) {
        if (gr->rg->replication_groups.count != 1) {
            fail(r, MON_CRITICAL,
                 "replication group %s not found (%zu in the answer)",
                 cfg->group_id, gr->rg->replication_groups.count);
            return -1;
        }
        gr->g = gr->rg->replication_groups.items[0];
        return 0;
    }
    ec_error_format(&err, errtext, sizeof(errtext));
    if (err.code == EC_ERR_INVALID_ARGUMENT) {
        fail(r, MON_UNKNOWN, "bad replication group id: %s", err.message);
        r->usage = true;
    } else if (err.code == EC_ERR_SERVICE &&
               strcmp(err.aws_code, "ReplicationGroupNotFoundFault") == 0) {
        fail(r, MON_CRITICAL, "replication group %s not found (%s)",
             cfg->group_id, err.aws_code);
    } else if (err.code == EC_ERR_TIMEOUT) {
        fail(r, MON_UNKNOWN, "timed out while %s: %s",
             stage_names[STAGE_DESCRIBE_GROUP], errtext);
    } else {
        fail(r, MON_UNKNOWN, "%s", errtext);
    }
    return -1;
}

/* Up to this many members are described one call each (a cluster mode
 * disabled group has at most six); more (a cluster mode enabled group has
 * up to 500) by paging through the region's clusters, which can take fewer
 * calls than one per member. */
#define MEMBERS_ONE_BY_ONE 6

/* One member described by its own call. 0: described; 1: the API does
 * not know it (it stays undescribed); -1: any other error, the check ends. */
static int describe_member(ec_client *client, group_run *gr, size_t i,
                           ec_describe_cache_clusters_output **slot,
                           double *api_time, report *r)
{
    ec_describe_cache_clusters_input in = EC_DESCRIBE_CACHE_CLUSTERS_INPUT_INIT;
    ec_error err = {0};
    char errtext[768];
    double t0 = monotonic_now();
    int rc;

    in.cache_cluster_id = gr->members[i].cluster_id;
    in.show_cache_node_info.set = true;
    in.show_cache_node_info.value = true;
    rc = ec_describe_cache_clusters(client, &in, slot, &err);
    *api_time += monotonic_now() - t0;
    if (rc == 0 && (*slot)->cache_clusters.count == 1) {
        gr->members[i].cluster = (*slot)->cache_clusters.items[0];
        return 0;
    }
    if (rc == 0 || (err.code == EC_ERR_SERVICE &&
                    strcmp(err.aws_code, "CacheClusterNotFound") == 0))
        return 1;
    ec_error_format(&err, errtext, sizeof(errtext));
    if (err.code == EC_ERR_TIMEOUT)
        fail(r, MON_UNKNOWN, "timed out while %s: %s",
             stage_names[STAGE_DESCRIBE], errtext);
    else
        fail(r, MON_UNKNOWN, "%s", errtext);
    return -1;
}

/* The still unfound members that one listed page holds (ids compared as
 * ElastiCache does: case-insensitively). Returns how many it held. */
static size_t match_page(group_run *gr, const ec_cache_cluster_list *page)
{
    size_t held = 0;

    for (size_t i = 0; i < gr->nmembers; i++) {
        mon_group_member *m = &gr->members[i];

        for (size_t k = 0; m->cluster_id && !m->cluster && k < page->count; k++)
            if (page->items[k]->cache_cluster_id &&
                strcasecmp(page->items[k]->cache_cluster_id, m->cluster_id) ==
                    0) {
                m->cluster = page->items[k];
                held++;
            }
    }
    return held;
}

/* The members of a large group, adaptively: the region's clusters are
 * listed a page of 100 at a time, matching members as they come, until
 * every member is found, the listing ends, or the pages fetched reach the
 * number of members still unfound; those left are then described one call
 * each. Only the pages that held a member are kept (in gr->outs), so the
 * memory follows the group, not the region.
 *
 * The bound: with n members and a listing of L pages, one call per member
 * costs n and the whole listing L. A page is fetched only while the pages
 * fetched so far are fewer than the members unfound (at most n), and the
 * listing has no more than L, so p <= min(n, L) pages are fetched. If the
 * paging stops on the bound, the u members left are no more than p, so the
 * calls are p + u <= 2p <= 2 min(n, L): about twice the better of the two
 * strategies, whatever the region's size or where the members sit in its
 * listing. A member missing from a listing that ended is not in the region
 * (as the listing alone judged before): it stays undescribed without a call
 * of its own, else 500 members missing from a one-page region would cost
 * 501 calls. A repeated marker cannot loop either: the bound ends the paging.
 * gr->outs has room: each kept page holds a found member, each single call
 * an unfound one, so they are at most n. */
static int describe_members_paged(ec_client *client, group_run *gr,
                                  double *api_time, report *r)
{
    ec_describe_cache_clusters_input in = EC_DESCRIBE_CACHE_CLUSTERS_INPUT_INIT;
    char *marker = NULL;
    size_t unfound = 0, pages = 0, kept = 0;
    bool complete = false;

    for (size_t i = 0; i < gr->nmembers; i++)
        if (gr->members[i].cluster_id)
            unfound++;
    in.show_cache_node_info.set = true;
    in.show_cache_node_info.value = true;
    in.max_records.set = true;
    in.max_records.value = 100;
    while (unfound > 0 && pages < unfound) {
        ec_describe_cache_clusters_output *page = NULL;
        ec_error err = {0};
        char errtext[768];
        double t0 = monotonic_now();
        size_t held;
        int rc;

        in.marker = marker;
        rc = ec_describe_cache_clusters(client, &in, &page, &err);
        *api_time += monotonic_now() - t0;
        free(marker);
        marker = NULL;
        if (rc != 0) {
            ec_error_format(&err, errtext, sizeof(errtext));
            if (err.code == EC_ERR_TIMEOUT)
                fail(r, MON_UNKNOWN, "timed out while %s: %s",
                     stage_names[STAGE_DESCRIBE], errtext);
            else
                fail(r, MON_UNKNOWN, "%s", errtext);
            return -1;
        }
        pages++;
        held = match_page(gr, &page->cache_clusters);
        unfound -= held;
        if (page->marker && page->marker[0] &&
            !(marker = strdup(page->marker))) {
            ec_describe_cache_clusters_output_free(page);
            fail(r, MON_UNKNOWN, "out of memory");
            return -1;
        }
        if (held > 0)
            gr->outs[kept++] = page;
        else
            ec_describe_cache_clusters_output_free(page);
        if (!marker) {
            complete = true;
            break;
        }
    }
    free(marker);
    /* a member the whole listing lacks is not there: no call more */
    for (size_t i = 0; !complete && unfound > 0 && i < gr->nmembers; i++) {
        if (!gr->members[i].cluster_id || gr->members[i].cluster)
            continue;
        if (describe_member(client, gr, i, &gr->outs[kept++], api_time, r) < 0)
            return -1;
    }
    return 0;
}

/* Each member cluster with its node. A member the API does not know
 * stays undescribed (judged UNKNOWN); any other error ends the check. */
static int describe_members(ec_client *client, group_run *gr, double *api_time,
                            report *r)
{
    const ec_strlist *ids = &gr->g->member_clusters;

    mon_deadline_stage(STAGE_DESCRIBE);
    gr->nmembers = ids->count;
    gr->outs = calloc(ids->count ? ids->count : 1, sizeof(*gr->outs));
    gr->clusters = calloc(ids->count ? ids->count : 1, sizeof(*gr->clusters));
    gr->members = calloc(ids->count ? ids->count : 1, sizeof(*gr->members));
    if (!gr->outs || !gr->clusters || !gr->members) {
        fail(r, MON_UNKNOWN, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < ids->count; i++)
        gr->members[i].cluster_id = ids->items[i];
    if (ids->count > MEMBERS_ONE_BY_ONE) {
        if (describe_members_paged(client, gr, api_time, r) != 0)
            return -1;
    } else {
        for (size_t i = 0; i < ids->count; i++)
            if (describe_member(client, gr, i, &gr->outs[i], api_time, r) < 0)
                return -1;
    }
    /* the described ones in member order, as probe_group walks them */
    for (size_t i = 0; i < gr->nmembers; i++)
        if (gr->members[i].cluster)
            gr->clusters[gr->nclusters++] = gr->members[i].cluster;
    return 0;
}

/* Every described member's node probed (PING, INFO replication) in one
 * run; each member then points at its node's probe and its plan. */
static int probe_group(const check_config *cfg, double deadline,
                       const mon_tokens *tokens, group_run *gr, report *r)
{
    mon_common common = cfg->common;
    ec_error err = {0};
    char errtext[768];
    double total = remaining(deadline), timeout = probe_timeout(cfg);
    size_t j = 0;

    mon_deadline_stage(STAGE_PROBE);
    if (timeout > total)
        timeout = total;
    common.redis_replication = true;
    if (mon_probe_clusters(gr->clusters, gr->nclusters, &common, timeout, total,
                           tokens, &gr->fleet, &err) != 0) {
        ec_error_format(&err, errtext, sizeof(errtext));
        fail(r, MON_UNKNOWN, "cannot probe the nodes: %s", errtext);
        return -1;
    }
    for (size_t i = 0; i < gr->nmembers; i++) {
        mon_group_member *m = &gr->members[i];

        if (!m->cluster)
            continue;
        /* a member is a one-node cluster: its first node */
        if (gr->fleet.first[j + 1] > gr->fleet.first[j])
            m->probe = &gr->fleet.nodes[gr->fleet.first[j]];
        m->plan = &gr->fleet.plans[j];
        j++;
    }
    return 0;
}

/* A member's long output line. */
static void member_line(report *r, const ec_replication_group *g,
                        const mon_group_member *m)
{
    const ec_node_group_member *ngm =
        ec_replication_group_find_member(g, m->cluster_id, NULL);
    const ec_cache_node *n = m->probe ? m->probe->node
                             : m->cluster && m->cluster->cache_nodes.count
                                 ? m->cluster->cache_nodes.items[0]
                                 : NULL;
    const ec_probe_result *pr = m->probe ? m->probe->result : NULL;
    const ec_redis_replication *rep = pr ? pr->replication : NULL;

    fprintf(r->longout, "%s %s %s", m->cluster_id,
            ngm && ngm->current_role ? ngm->current_role
            /* cluster mode enabled: AWS gives no roles; the node says */
            : g->cluster_enabled.set && g->cluster_enabled.value ? "member"
                                                                 : "(no role)",
            m->cluster ? (m->cluster->cache_cluster_status
                              ? m->cluster->cache_cluster_status
                              : "?")
                       : "not described");
    if (n)
        fprintf(r->longout, " %s:%lld",
                n->endpoint && n->endpoint->address ? n->endpoint->address
                                                    : "-",
                n->endpoint && n->endpoint->port.set
                    ? (long long)n->endpoint->port.value
                    : 0LL);
    if (m->probe && !m->probe->probed)
        fprintf(r->longout, ": %s", m->probe->skipped);
    else if (pr)
        fprintf(r->longout, ": %s (%s, %.6gs)",
                pr->ok ? "answers" : "does not answer as expected", pr->detail,
                pr->seconds);
    if (rep) {
        fprintf(r->longout, ", role %s", rep->role);
        if (strcmp(rep->role, "slave") == 0) {
            fprintf(r->longout, ", link %s",
                    ec_redis_link_str(rep->master_link_status));
            if (rep->master_last_io_seconds_ago.set)
                fprintf(r->longout, ", last I/O %llds ago",
                        (long long)rep->master_last_io_seconds_ago.value);
            if (rep->master_link_down_since_seconds.set)
                fprintf(r->longout, ", down for %llds",
                        (long long)rep->master_link_down_since_seconds.value);
        } else if (rep->connected_slaves.set) {
            fprintf(r->longout, ", %lld connected replicas",
                    (long long)rep->connected_slaves.value);
        }
    }
    end_line(r);
}

static void report_group(const check_config *cfg, const group_run *gr,
                         double api_time, report *r)
{
    mon_group_options o = {0};
    mon_group_verdict v;
    double slowest = -1;

    o.link = cfg->link;
    o.latency = cfg->latency;
    o.no_probe = cfg->common.no_probe;
    mon_judge_group(gr->g, gr->members, gr->nmembers, &o, &v);
    r->state = v.state;
    snprintf(r->first, sizeof(r->first), "%s", v.summary);
    if (v.cluster_mode)
        return;
    add_member_counts(r, &v);
    for (size_t i = 0; !cfg->common.no_probe && i < gr->nmembers; i++) {
        const mon_group_member *m = &gr->members[i];
        const ec_node_group_member *ngm =
            ec_replication_group_find_member(gr->g, m->cluster_id, NULL);
        const ec_probe_result *pr = m->probe ? m->probe->result : NULL;
        const ec_redis_replication *rep = pr ? pr->replication : NULL;
        char label[96];

        if (pr && pr->ok && pr->seconds > slowest)
            slowest = pr->seconds;
        if (!ngm || !ngm->current_role ||
            strcasecmp(ngm->current_role, "replica") != 0 || !rep)
            continue;
        snprintf(label, sizeof(label), "%s link_up", m->cluster_id);
        mon_perfdata_add(&r->perf, label,
                         rep->master_link_status == EC_REDIS_LINK_UP ? 1.0
                                                                     : 0.0,
                         "", NULL, zero, MON_BOUND(1));
        snprintf(label, sizeof(label), "%s last_io", m->cluster_id);
        mon_perfdata_add(&r->perf, label,
                         rep->master_last_io_seconds_ago.set
                             ? (double)rep->master_last_io_seconds_ago.value
                             : (double)NAN,
                         "s", &cfg->link, zero, MON_NO_BOUND);
    }
    mon_perfdata_add(&r->perf, "slowest", slowest >= 0 ? slowest : (double)NAN,
                     "s", &cfg->latency, zero, MON_NO_BOUND);
    mon_perfdata_add(&r->perf, "api_time", api_time, "s", NULL, zero,
                     MON_NO_BOUND);
    for (size_t i = 0; i < gr->nmembers; i++)
        member_line(r, gr->g, &gr->members[i]);
}

/* A member's perfdata: a replica's link and last I/O (disabled path's
 * labels: member cluster ids are unique in a region). */
static void member_perf(const check_config *cfg, report *r,
                        const mon_group_member *m)
{
    const ec_probe_result *pr = m->probe ? m->probe->result : NULL;
    const ec_redis_replication *rep = pr && pr->ok ? pr->replication : NULL;
    char label[96];

    if (!rep || !rep->role || strcmp(rep->role, "slave") != 0)
        return;
    snprintf(label, sizeof(label), "%s link_up", m->cluster_id);
    mon_perfdata_add(&r->perf, label,
                     rep->master_link_status == EC_REDIS_LINK_UP ? 1.0 : 0.0,
                     "", NULL, zero, MON_BOUND(1));
    snprintf(label, sizeof(label), "%s last_io", m->cluster_id);
    mon_perfdata_add(&r->perf, label,
                     rep->master_last_io_seconds_ago.set
                         ? (double)rep->master_last_io_seconds_ago.value
                         : (double)NAN,
                     "s", &cfg->link, zero, MON_NO_BOUND);
}

/* -G on a cluster-mode-enabled group: each shard judged, the worst wins;
 * the first line names the shards not OK, the worst first. */
static void report_shards(const check_config *cfg, const group_run *gr,
                          double api_time, report *r)
{
    const ec_replication_group *g = gr->g;
    size_t ns = g->node_groups.count;
    mon_group_options o = {0};
    mon_group_verdict v;
    mon_shard_tally t;
    double slowest = -1;

    o.link = cfg->link;
    o.latency = cfg->latency;
    o.no_probe = cfg->common.no_probe;
    r->shards = calloc(ns ? ns : 1, sizeof(*r->shards));
    r->items = calloc(ns ? ns : 1, sizeof(*r->items));
    if (!r->shards || !r->items) {
        fail(r, MON_UNKNOWN, "out of memory");
        return;
    }
    mon_judge_shards(g, gr->members, gr->nmembers, &o, r->shards, ns, &v, &t);
    r->state = v.state;
    snprintf(r->first, sizeof(r->first), "%s", v.summary);
    for (int rank = 0; rank < 3; rank++)
        for (size_t i = 0; i < ns; i++)
            if (severity(r->shards[i].state) == rank)
                r->items[r->nitems++] = r->shards[i].summary;
    {
        const count_row rows[] = {
            {"shards", t.shards, false, NULL},
            {"shards_ok", t.by_state[MON_OK], false, NULL},
            {"shards_warning", t.by_state[MON_WARNING], false, NULL},
            {"shards_critical", t.by_state[MON_CRITICAL], false, NULL},
            {"shards_unknown", t.by_state[MON_UNKNOWN], false, NULL},
        };

        add_counts(&r->perf, rows, sizeof(rows) / sizeof(rows[0]), t.shards);
    }
    add_member_counts(r, &v);
    for (size_t i = 0; !cfg->common.no_probe && i < gr->nmembers; i++) {
        const ec_probe_result *pr =
            gr->members[i].probe ? gr->members[i].probe->result : NULL;

        if (pr && pr->ok && pr->seconds > slowest)
            slowest = pr->seconds;
    }
    mon_perfdata_add(&r->perf, "slowest", slowest >= 0 ? slowest : (double)NAN,
                     "s", &cfg->latency, zero, MON_NO_BOUND);
    mon_perfdata_add(&r->perf, "api_time", api_time, "s", NULL, zero,
                     MON_NO_BOUND);
    /* Per shard: its state (0 OK .. 3 UNKNOWN), its primary answering,
     * its replicas linked. Labels "shard 0001 ..." are quoted, as
     * Icinga 2 reads them. */
    for (size_t i = 0; !cfg->common.no_probe && i < ns; i++) {
        const mon_shard_verdict *sv = &r->shards[i];
        char label[96];

        snprintf(label, sizeof(label), "shard %s state", sv->node_group_id);
        mon_perfdata_add(&r->perf, label, (double)sv->state, "", NULL, zero,
                         MON_BOUND(3));
        snprintf(label, sizeof(label), "shard %s primary_up",
                 sv->node_group_id);
        mon_perfdata_add(&r->perf, label, sv->primary_up ? 1.0 : 0.0, "", NULL,
                         zero, MON_BOUND(1));
        snprintf(label, sizeof(label), "shard %s replicas_linked",
                 sv->node_group_id);
        mon_perfdata_add(&r->perf, label, (double)sv->links_up, "", NULL, zero,
                         MON_BOUND((double)sv->replicas));
    }
    for (size_t i = 0; !cfg->common.no_probe && i < gr->nmembers; i++)
        member_perf(cfg, r, &gr->members[i]);
    /* Long output: the configuration endpoint, then each shard, its
     * slots and its members. */
    if (g->configuration_endpoint) {
        fprintf(r->longout, "configuration endpoint %s:%lld",
                g->configuration_endpoint->address
                    ? g->configuration_endpoint->address
                    : "-",
                g->configuration_endpoint->port.set
                    ? (long long)g->configuration_endpoint->port.value
                    : 0LL);
        end_line(r);
    }
    for (size_t i = 0; i < ns; i++) {
        const ec_node_group *ng = g->node_groups.items[i];

        if (!ng)
            continue;
        fprintf(r->longout, "%s: shard %s %s slots %s, %zu members",
                mon_state_name(r->shards[i].state), r->shards[i].node_group_id,
                ng->status ? ng->status : "(no status)",
                ng->slots ? ng->slots : "-", ng->node_group_members.count);
        end_line(r);
        for (size_t j = 0; j < ng->node_group_members.count; j++) {
            const ec_node_group_member *ngm = ng->node_group_members.items[j];

            for (size_t k = 0; ngm && k < gr->nmembers; k++)
                if (gr->members[k].cluster_id && ngm->cache_cluster_id &&
                    strcmp(gr->members[k].cluster_id, ngm->cache_cluster_id) ==
                        0) {
                    fputs("  ", r->longout);
                    member_line(r, g, &gr->members[k]);
                }
        }
    }
}

/* -G: describe the group and its members, probe, judge. */
static void run_group(const check_config *cfg, double deadline,
                      ec_client *client, const mon_tokens *tokens, report *r)
{
    group_run gr = {0};
    double api_time = 0;

    if (describe_group(cfg, client, &gr, &api_time, r) != 0)
        goto out;
    if (describe_members(client, &gr, &api_time, r) != 0 ||
        probe_group(cfg, deadline, tokens, &gr, r) != 0)
        goto out;
    mon_deadline_stage(STAGE_REPORT);
    if (mon_group_cluster_mode(gr.g))
        report_shards(cfg, &gr, api_time, r);
    else
        report_group(cfg, &gr, api_time, r);
out:
    group_run_free(&gr);
}

/* Set up, describe, probe, judge: each step says what failed in `r`. */
static void run(const check_config *cfg, double deadline, report *r)
{
    ec_client *client = NULL;
    ec_describe_cache_clusters_output *out = NULL;
    mon_fleet_probe fleet = {0};
    mon_tokens tokens = {0};
    char why[512];
    double api_time = 0;

    mon_deadline_stage(STAGE_SETUP);
    if (!cfg->common.no_probe &&
        mon_tokens_load(&cfg->common, &tokens, why, sizeof(why)) != 0) {
        fail(r, MON_UNKNOWN, "%s", why);
        goto out;
    }
    client = make_client(cfg, deadline, r);
    if (client && cfg->group_id) {
        run_group(cfg, deadline, client, &tokens, r);
        goto verbose;
    }
    if (!client || describe(cfg, client, &out, &api_time, r) != 0 ||
        probe(cfg, deadline, &tokens, out, &fleet, r) != 0)
        goto out;
    mon_tokens_free(&tokens);
    mon_deadline_stage(STAGE_REPORT);
    if (cfg->all)
        report_fleet(cfg, out, &fleet, api_time, r);
    else
        report_cluster(cfg, out->cache_clusters.items[0], &fleet, api_time, r);
verbose:
    if (client && cfg->verbose >= 1) {
        fprintf(r->longout, "API %s region %s, %lu HTTP requests",
                ec_client_endpoint(client), ec_client_region(client),
                ec_client_request_count(client));
        end_line(r);
    }
out:
    mon_tokens_free(&tokens);
    /* The problems' summaries are copies; the clusters can go now. */
    mon_fleet_probe_free(&fleet);
    ec_describe_cache_clusters_output_free(out);
    ec_client_free(client);
}

/* Print the output through the one builder: safe text, within 8 KB. */
static void print_report(report *r)
{
    char *long_all = NULL, *text = NULL;
    size_t long_len = r->long_len + r->debug_len;
    mon_output o = {0};
    size_t n;

    long_all = malloc(long_len + 1);
    text = malloc(MON_OUTPUT_MAX + 1);
    if (!long_all || !text) {
        puts("ELASTICACHE UNKNOWN - out of memory");
        goto out;
    }
    if (r->long_len)
        memcpy(long_all, r->long_text, r->long_len);
    if (r->debug_len)
        memcpy(long_all + r->long_len, r->debug_text, r->debug_len);
    long_all[long_len] = '\0';
    o.prefix = "ELASTICACHE";
    o.state = r->state;
    o.head = r->first;
    o.items = r->items;
    o.nitems = r->nitems;
    o.perf = &r->perf;
    o.long_text = long_all;
    o.long_len = long_len;
    n = mon_output_render(&o, text, MON_OUTPUT_MAX + 1);
    fwrite(text, 1, n, stdout);
out:
    free(long_all);
    free(text);
}

int main(int argc, char **argv)
{
    /* Secrets pass through this process: no core file may keep them. A
     * failure to lower a limit is not worth stopping for. */
    (void)ec_forbid_core_dumps(NULL);
    check_config cfg = parse_args(argc, argv);
    report r = {0};
    double deadline;

    if (cfg.done) {
        if (cfg.message[0] && cfg.exit_code == MON_UNKNOWN &&
            strncmp(cfg.message, PROGNAME, strlen(PROGNAME)) != 0) {
            char safe[sizeof(cfg.message)];

            /* an argument can hold anything: one line, no '|' */
            mon_safe_text(safe, sizeof(safe), cfg.message, '?', NULL);
            printf("ELASTICACHE UNKNOWN - %s\n", safe);
            print_usage(stdout);
        } else if (cfg.message[0]) {
            printf("%s\n", cfg.message);
        }
        return cfg.exit_code;
    }
    /* TLS probes write through OpenSSL's socket BIO (plain write()): a
     * node closing early must not kill the check with SIGPIPE. */
    signal(SIGPIPE, SIG_IGN);
    deadline = monotonic_now() + cfg.timeout;
    for (int st = 0; st < STAGE_COUNT; st++)
        mon_deadline_text(st,
                          "ELASTICACHE UNKNOWN - timed out after %gs while "
                          "%s\n",
                          cfg.timeout, stage_names[st]);
    mon_deadline_arm(cfg.timeout, MON_UNKNOWN);
    r.state = MON_UNKNOWN;
    r.longout = open_memstream(&r.long_text, &r.long_len);
    r.debug = open_memstream(&r.debug_text, &r.debug_len);
    if (!r.longout || !r.debug) {
        puts("ELASTICACHE UNKNOWN - out of memory");
        return MON_UNKNOWN;
    }
    run(&cfg, deadline, &r);
    mon_deadline_disarm();
    fclose(r.longout);
    fclose(r.debug);
    print_report(&r);
    if (r.usage)
        print_usage(stdout);
    free(r.long_text);
    free(r.debug_text);
    report_free(&r);
    fflush(stdout);
    return (int)r.state;
}
