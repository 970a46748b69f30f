/*
 * elasticache_event_handler: Nagios/Icinga event handler that reboots the
 * cache nodes check_elasticache found unresponsive, once, through the
 * library's safe reboot.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <unistd.h>

#include <elasticache/elasticache.h>

#include "cluster.h"
#include "deadline.h"
#include "monitoring.h"
#include "pick.h"

#define PROGNAME "elasticache_event_handler"
#define DEFAULT_SOFT_ATTEMPT 3
#define DEFAULT_MIN_INTERVAL "15m"
#define DEFAULT_PROBE_TIMEOUT 5.0

/* Exit codes: the handler's own success or failure, not a service state. */
enum {
    EXIT_DECIDED = 0, /* it decided (including "nothing to do") */
    EXIT_FAILED = 1,  /* it could not decide or act: API, probe, setup */
    EXIT_USAGE = 2    /* bad arguments */
};

typedef struct handler_config {
    const char *cluster_id;
    const char *state;      /* $SERVICESTATE$ */
    const char *state_type; /* $SERVICESTATETYPE$ */
    const char *attempt;    /* $SERVICEATTEMPT$ */
    long soft_attempt;
    const char *min_interval;
    bool all_nodes_if_unknown;
    bool dry_run;
    bool no_syslog;
    double timeout;
    mon_common common;
    bool done;
    int exit_code;
    char message[512];
} handler_config;

/* A safety net under the API timeouts: Nagios kills a handler after
 * event_handler_timeout (30 s by default) without a word; this says where
 * it was. */
enum { STAGE_LOOK, STAGE_REBOOT };

static void arm_deadline(const char *cluster, double seconds)
{
    mon_deadline_text(STAGE_LOOK,
                      "elasticache_event_handler: %s: timed out after %gs "
                      "while describing and probing the cluster\n",
                      cluster, seconds);
    mon_deadline_text(STAGE_REBOOT,
                      "elasticache_event_handler: %s: timed out after %gs "
                      "while rebooting (the request may have reached the "
                      "service)\n",
                      cluster, seconds);
    mon_deadline_stage(STAGE_LOOK);
    /* Whole seconds, rounded up, as alarm() had it. */
    mon_deadline_arm(ceil(seconds), EXIT_FAILED);
}

/* One line per decision, to stdout and syslog. */
static bool use_syslog = true;

static void say(int priority, const char *cluster, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void say(int priority, const char *cluster, const char *fmt, ...)
{
    char line[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    printf("%s: %s: %s\n", PROGNAME, cluster ? cluster : "-", line);
    fflush(stdout);
    if (use_syslog)
        syslog(priority, "%s: %s", cluster ? cluster : "-", line);
}

static void print_usage(FILE *out)
{
    fputs("Usage: " PROGNAME " -C CLUSTER_ID [options] [STATE STATE_TYPE "
          "ATTEMPT]\n"
          "  STATE STATE_TYPE ATTEMPT are Nagios's $SERVICESTATE$ "
          "$SERVICESTATETYPE$\n"
          "  $SERVICEATTEMPT$; when absent, NAGIOS_SERVICESTATE,\n"
          "  NAGIOS_SERVICESTATETYPE and NAGIOS_SERVICEATTEMPT are read from "
          "the environment.\n",
          out);
}

static void print_help(void)
{
    printf("%s %s (libelasticache %s)\n", PROGNAME, EC_VERSION_STRING,
           ec_version());
    puts("Reboots the nodes of an ElastiCache cluster that do not answer, "
         "when the\n"
         "service is CRITICAL (HARD, or SOFT at attempt --soft-attempt or "
         "later).\n"
         "Never while the cluster is rebooting, never twice within "
         "--min-interval.\n"
         "Does not wait for the reboot to finish.\n");
    print_usage(stdout);
    puts("\nOptions:\n"
         "  -h, --help               this help\n"
         "  -V, --version            version\n"
         "  -C, --cluster-id ID      the cache cluster\n"
         "      --soft-attempt N     act on SOFT CRITICAL from attempt N "
         "(default 3)\n"
         "      --min-interval AGE   no reboot if the nodes restarted within "
         "AGE\n"
         "                           (90s, 15m, 2h, 1d or a timestamp; "
         "default 15m)\n"
         "      --all-nodes-if-unknown\n"
         "                           reboot every node when the probe cannot "
         "tell\n"
         "                           which nodes are unresponsive\n"
         "      --dry-run            decide and log, do not reboot\n"
         "      --no-syslog          log to stdout only\n"
         "  -t, --timeout SECS       give up after SECS (default 25; Nagios "
         "kills handlers\n"
         "                           after event_handler_timeout, 30 s)\n");
    mon_common_help(stdout);
    puts("\nExit status: 0 decided (including nothing to do), 1 failed, 2 bad "
         "usage.");
}

static handler_config stop(handler_config c, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static handler_config stop(handler_config c, int code, const char *fmt, ...)
{
    va_list ap;

    c.done = true;
    c.exit_code = code;
    va_start(ap, fmt);
    vsnprintf(c.message, sizeof(c.message), fmt, ap);
    va_end(ap);
    return c;
}

static handler_config parse_args(int argc, char **argv)
{
    enum { OPT_SOFT = 1, OPT_MIN, OPT_ALLNODES, OPT_DRY, OPT_NOSYSLOG };
    static const struct option longopts[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"cluster-id", required_argument, NULL, 'C'},
        {"timeout", required_argument, NULL, 't'},
        {"soft-attempt", required_argument, NULL, OPT_SOFT},
        {"min-interval", required_argument, NULL, OPT_MIN},
        {"all-nodes-if-unknown", no_argument, NULL, OPT_ALLNODES},
        {"dry-run", no_argument, NULL, OPT_DRY},
        {"no-syslog", no_argument, NULL, OPT_NOSYSLOG},
        MON_COMMON_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    handler_config c = {0};
    mon_common common = MON_COMMON_INIT;
    int opt;

    c.soft_attempt = DEFAULT_SOFT_ATTEMPT;
    c.min_interval = DEFAULT_MIN_INTERVAL;
    c.timeout = 25; /* under Nagios's event_handler_timeout of 30 s */
    c.common = common;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":hVC:t:", longopts, NULL)) != -1) {
        char bad[256];
        char *end = NULL;

        switch (opt) {
        case 'h':
            print_help();
            return stop(c, EXIT_DECIDED, "%s", "");
        case 'V':
            return stop(c, EXIT_DECIDED, "%s %s (libelasticache %s)", PROGNAME,
                        EC_VERSION_STRING, ec_version());
        case 'C':
            c.cluster_id = optarg;
            break;
        case 't':
            if (mon_parse_seconds(optarg, &c.timeout) != 0)
                return stop(c, EXIT_USAGE,
                            "-t/--timeout wants a positive number of seconds");
            break;
        case OPT_SOFT:
            errno = 0;
            c.soft_attempt = strtol(optarg, &end, 10);
            if (errno || !end || *end || end == optarg || c.soft_attempt < 1 ||
                c.soft_attempt > 1000)
                return stop(c, EXIT_USAGE,
                            "--soft-attempt wants a number from 1, not '%s'",
                            optarg);
            break;
        case OPT_MIN:
            c.min_interval = optarg;
            break;
        case OPT_ALLNODES:
            c.all_nodes_if_unknown = true;
            break;
        case OPT_DRY:
            c.dry_run = true;
            break;
        case OPT_NOSYSLOG:
            c.no_syslog = true;
            break;
        default:
            if (mon_common_getopt(&c.common, opt, optarg, argv[optind - 1], bad,
                                  sizeof(bad)) != 0)
                return stop(c, EXIT_USAGE, "%s", bad);
            break;
        }
    }
    if (argc - optind == 3) {
        c.state = argv[optind];
        c.state_type = argv[optind + 1];
        c.attempt = argv[optind + 2];
    } else if (argc - optind == 0) {
        c.state = getenv("NAGIOS_SERVICESTATE");
        c.state_type = getenv("NAGIOS_SERVICESTATETYPE");
        c.attempt = getenv("NAGIOS_SERVICEATTEMPT");
        if (!c.state || !c.state_type || !c.attempt)
            return stop(c, EXIT_USAGE,
                        "give STATE STATE_TYPE ATTEMPT, or set "
                        "NAGIOS_SERVICESTATE, NAGIOS_SERVICESTATETYPE and "
                        "NAGIOS_SERVICEATTEMPT");
    } else {
        return stop(c, EXIT_USAGE,
                    "want exactly three arguments STATE STATE_TYPE ATTEMPT, "
                    "got %d",
                    argc - optind);
    }
    if (!c.cluster_id)
        return stop(c, EXIT_USAGE, "%s", "-C/--cluster-id is required");
    /* The cluster id itself is checked where the library receives it. */
    {
        /* The syntax only: the moment counts back from the client's clock
         * when there is one (run). */
        ec_time t;
        ec_error err = {0};

        if (ec_time_parse_since(c.min_interval, (ec_time){0}, &t, &err) != 0)
            return stop(c, EXIT_USAGE, "bad --min-interval '%s': %s",
                        c.min_interval, err.message);
    }
    return c;
}

/* Whether this state change is one to act on; says why not in `why`. */
static bool should_act(const handler_config *c, char *why, size_t size)
{
    mon_state s;
    char *end = NULL;
    long attempt;

    if (mon_state_parse(c->state, &s) != 0) {
        snprintf(why, size, "state '%s' is not a service state", c->state);
        return false;
    }
    if (s != MON_CRITICAL) {
        snprintf(why, size, "service is %s: nothing to do", c->state);
        return false;
    }
    if (strcasecmp(c->state_type, "HARD") == 0)
        return true;
    if (strcasecmp(c->state_type, "SOFT") != 0) {
        snprintf(why, size, "state type '%s' is neither SOFT nor HARD",
                 c->state_type);
        return false;
    }
    errno = 0;
    attempt = strtol(c->attempt, &end, 10);
    if (errno || !end || *end || end == c->attempt) {
        snprintf(why, size, "attempt '%s' is not a number", c->attempt);
        return false;
    }
    if (attempt < c->soft_attempt) {
        snprintf(why, size,
                 "CRITICAL SOFT attempt %ld: waiting for attempt %ld or HARD",
                 attempt, c->soft_attempt);
        return false;
    }
    return true;
}

/* What describing and probing the cluster came to. */
typedef enum lookup {
    LOOKED,  /* described and probed: judge the nodes */
    GONE,    /* the cluster does not exist: nothing to reboot (why) */
    FAILED,  /* could not describe or probe (why) */
    BAD_ARGS /* the library refused the cluster id before any call (why) */
} lookup;

/* Describe the cluster with its nodes and probe them: the I/O before the
 * pure choice of mon_pick_nodes. */
static lookup describe_and_probe(const handler_config *cfg, ec_client *client,
                                 ec_describe_cache_clusters_output **out,
                                 mon_fleet_probe *fleet, char *why, size_t size)
{
    ec_describe_cache_clusters_input in = EC_DESCRIBE_CACHE_CLUSTERS_INPUT_INIT;
    ec_error err = {0};
    char *token = NULL;
    char errtext[768];
    lookup ret = FAILED;

    if (mon_load_auth_token(&cfg->common, &token, why, size) != 0)
        goto out;
    in.cache_cluster_id = cfg->cluster_id;
    in.show_cache_node_info.set = true;
    in.show_cache_node_info.value = true;
    if (ec_describe_cache_clusters(client, &in, out, &err) != 0) {
        ec_error_format(&err, errtext, sizeof(errtext));
        snprintf(why, size, "%s", errtext);
        if (err.code == EC_ERR_INVALID_ARGUMENT) {
            snprintf(why, size, "bad cluster id: %s", err.message);
            ret = BAD_ARGS;
        } else if (err.code == EC_ERR_SERVICE &&
                   strcmp(err.aws_code, "CacheClusterNotFound") == 0) {
            /* A cluster that is gone has nothing to reboot: a decision,
             * not a failure of ours. */
            snprintf(why, size, "cluster not found (%s): nothing to reboot",
                     err.aws_code);
            ret = GONE;
        }
        goto out;
    }
    if ((*out)->cache_clusters.count != 1) {
        snprintf(why, size, "DescribeCacheClusters returned %zu clusters",
                 (*out)->cache_clusters.count);
        goto out;
    }
    if (mon_probe_clusters(
            (const ec_cache_cluster *const *)(*out)->cache_clusters.items, 1,
            &cfg->common,
            cfg->common.probe_timeout > 0 ? cfg->common.probe_timeout
                                          : DEFAULT_PROBE_TIMEOUT,
            token, fleet, &err) != 0) {
        ec_error_format(&err, errtext, sizeof(errtext));
        snprintf(why, size, "cannot probe: %s", errtext);
        goto out;
    }
    ret = LOOKED;
out:
    ec_free_secret(token);
    return ret;
}

static int run(const handler_config *cfg)
{
    ec_config ac = mon_client_config(&cfg->common);
    ec_client *client = NULL;
    ec_error err = {0};
    ec_describe_cache_clusters_output *described = NULL;
    mon_fleet_probe fleet = {0};
    mon_pick pick = {0};
    ec_reboot_options ro = EC_REBOOT_OPTIONS_INIT;
    ec_reboot_policy policy = EC_REBOOT_POLICY_INIT;
    ec_reboot_result *res = NULL;
    char why[1024];
    char errtext[768];
    char list[512] = "";
    ec_time started = {0};
    int ret = EXIT_FAILED;

    if (!should_act(cfg, why, sizeof(why))) {
        say(LOG_INFO, cfg->cluster_id, "%s", why);
        ret = EXIT_DECIDED;
        goto out;
    }
    /* The API calls get a third of the budget each: describe, then the
     * library's describe and reboot; the alarm covers the rest. */
    ac.read_timeout = cfg->timeout / 3;
    ac.connect_timeout = ac.read_timeout < 5 ? ac.read_timeout : 5;
    /* A credential_process gets the same third, not its own minute. */
    ac.credential_process_timeout = ac.read_timeout;
    arm_deadline(cfg->cluster_id, cfg->timeout);
    started = ec_time_now();
    client = ec_client_new(&ac, &err);
    if (!client) {
        ec_error_format(&err, errtext, sizeof(errtext));
        say(LOG_ERR, cfg->cluster_id, "cannot set up the API client: %s",
            errtext);
        goto out;
    }
    why[0] = '\0';
    switch (
        describe_and_probe(cfg, client, &described, &fleet, why, sizeof(why))) {
    case LOOKED:
        break;
    case GONE:
        say(LOG_INFO, cfg->cluster_id, "%s", why);
        ret = EXIT_DECIDED;
        goto out;
    case BAD_ARGS:
        /* As a usage error while parsing arguments reads. */
        printf("%s: %s\n", PROGNAME, why);
        print_usage(stdout);
        ret = EXIT_USAGE;
        goto out;
    case FAILED:
        say(LOG_ERR, cfg->cluster_id, "failed: %s", why);
        goto out;
    }
    if (mon_pick_nodes(described->cache_clusters.items[0], fleet.nodes,
                       fleet.count, cfg->all_nodes_if_unknown, &pick) != 0) {
        say(LOG_ERR, cfg->cluster_id, "failed: %s", pick.why);
        goto out;
    }
    if (pick.nodes.count == 0) {
        say(LOG_INFO, cfg->cluster_id, "%s", pick.why);
        ret = EXIT_DECIDED;
        goto out;
    }
    ec_strlist_join(&pick.nodes, ",", list, sizeof(list));
    ro.cache_cluster_id = cfg->cluster_id;
    ro.policy = &policy;
    policy.node_ids = (const char *const *)pick.nodes.items;
    policy.node_count = pick.nodes.count;
    if (ec_time_parse_since(cfg->min_interval, ec_client_now(client),
                            &policy.unless_rebooted_since, &err) != 0) {
        say(LOG_ERR, cfg->cluster_id, "bad --min-interval: %s", err.message);
        goto out;
    }
    mon_deadline_stage(STAGE_REBOOT);
    ro.check_mode = cfg->dry_run;
    ro.wait = false;
    /* What is left of -t, less a second for the safety net's rounding: the
     * library confirms a lost answer within it and reports the service's
     * own error before the deadline would (issue 8, item 10). */
    ro.time_budget = cfg->timeout - ec_time_diff(ec_time_now(), started) - 1.0;
    if (ro.time_budget < 0.5)
        ro.time_budget = 0.5;
    /* ro.allow_primary_reboot stays false: a cluster that is the primary
     * of a replication group is refused by the library (the group is
     * read), never rebooted in place. A dead primary is the job of the
     * group's automatic failover, not of a handler that reboots it. */
    if (ec_reboot(client, &ro, &res, &err) != 0) {
        if (res && !res->changed &&
            (res->decision == EC_DECIDE_REFUSED ||
             res->decision == EC_DECIDE_UNSUPPORTED) &&
            err.code == EC_ERR_INVALID_ARGUMENT) {
            /* A decision, not a failure: nothing was sent. */
            if (res->decision == EC_DECIDE_REFUSED)
                say(LOG_WARNING, cfg->cluster_id,
                    "not rebooting node(s) %s, refused: an event handler "
                    "never reboots a replication group's primary in place "
                    "(a failed primary is the job of the group's automatic "
                    "failover): %s",
                    list, err.message);
            else
                say(LOG_WARNING, cfg->cluster_id,
                    "not rebooting node(s) %s, refused: %s", list, err.message);
            ret = EXIT_DECIDED;
            goto out;
        }
        ec_error_format(&err, errtext, sizeof(errtext));
        say(LOG_ERR, cfg->cluster_id, "reboot of node(s) %s failed: %s%s", list,
            errtext,
            err.maybe_sent ? " (the request may have reached the service)"
                           : "");
        goto out;
    }
    if (res->decision == EC_DECIDE_REBOOT) {
        char done[512];

        ec_strlist_join(&res->rebooted_node_ids, ",", done, sizeof(done));
        if (cfg->dry_run)
            say(LOG_NOTICE, cfg->cluster_id,
                "dry run: would reboot unresponsive node(s) %s", done);
        else if (res->changed)
            say(LOG_NOTICE, cfg->cluster_id,
                "rebooting unresponsive node(s) %s (request %s)", done,
                res->request_id ? res->request_id : "-");
        else
            say(LOG_NOTICE, cfg->cluster_id,
                "node(s) %s already rebooting (another caller): %s", done,
                res->message);
    } else {
        say(LOG_NOTICE, cfg->cluster_id, "not rebooting node(s) %s: %s (%s)",
            list, ec_reboot_decision_str(res->decision), res->message);
    }
    ret = EXIT_DECIDED;
out:
    mon_deadline_disarm();
    ec_reboot_result_free(res);
    ec_strlist_clear(&pick.nodes);
    mon_fleet_probe_free(&fleet);
    ec_describe_cache_clusters_output_free(described);
    ec_client_free(client);
    return ret;
}

int main(int argc, char **argv)
{
    /* Secrets pass through this process: no core file may keep them. A
     * failure to lower a limit is not worth stopping for. */
    (void)ec_forbid_core_dumps(NULL);
    handler_config cfg = parse_args(argc, argv);
    int rc;

    if (cfg.done) {
        if (cfg.exit_code == EXIT_USAGE) {
            printf("%s: %s\n", PROGNAME, cfg.message);
            print_usage(stdout);
        } else if (cfg.message[0]) {
            printf("%s\n", cfg.message);
        }
        return cfg.exit_code;
    }
    /* TLS probes write through OpenSSL's socket BIO (plain write()): a
     * node closing early must not kill us with SIGPIPE. */
    signal(SIGPIPE, SIG_IGN);
    use_syslog = !cfg.no_syslog;
    if (use_syslog)
        openlog(PROGNAME, LOG_PID, LOG_DAEMON);
    rc = run(&cfg);
    if (use_syslog)
        closelog();
    return rc;
}
