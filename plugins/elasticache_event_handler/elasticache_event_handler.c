/* SPDX-License-Identifier: Apache-2.0 */
/*
 * elasticache_event_handler: Nagios/Icinga event handler that reboots the
 * cache nodes check_elasticache found unresponsive, once, through the
 * library's safe reboot; never in downtime, after an acknowledgement or
 * while flapping, never for a probe setting that is wrong or a network
 * path that looks cut, and within the caps the operator set.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <elasticache/elasticache.h>

#include "cluster.h"
#include "deadline.h"
#include "gate.h"
#include "group.h"
#include "monitoring.h"
#include "pick.h"

#define PROGNAME "elasticache_event_handler"
#define DEFAULT_SOFT_ATTEMPT 3
#define DEFAULT_MIN_INTERVAL "15m"
#define DEFAULT_PER "1h"
#define DEFAULT_PROBE_TIMEOUT 5.0
#define DEFAULT_SYSLOG_SOCKET "/dev/log"

/* Exit codes: the handler's own success or failure, not a service state. */
enum {
    EXIT_DECIDED = 0, /* it decided (including "nothing to do") */
    EXIT_FAILED = 1,  /* it could not decide or act: API, probe, setup */
    EXIT_USAGE = 3    /* bad arguments or a value no engine passes, as the
                         Monitoring Plugins' usage errors */
};

typedef struct handler_config {
    const char *cluster_id;
    const char *group_id;   /* -G: a replication group's replicas */
    const char *state;      /* $SERVICESTATE$ */
    const char *state_type; /* $SERVICESTATETYPE$ */
    const char *attempt;    /* $SERVICEATTEMPT$ */
    long soft_attempt;
    const char *min_interval;
    bool all_nodes_if_unknown;
    long max_unresponsive; /* -1: no limit */
    long max_reboots;      /* -1: no cap */
    const char *per;
    bool dry_run;
    bool no_syslog;
    const char *syslog_socket;
    double timeout;
    /* what the engine says of the service */
    const char *downtime_depth;
    const char *host_downtime_depth;
    const char *acknowledged;
    const char *flapping;
    const char *env_downtime; /* NAGIOS_SERVICEDOWNTIME */
    const char *env_host_downtime;
    const char *status_file;
    /* recording decisions */
    const char *host;
    const char *service;
    const char *command_file;
    const char *record_service;
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
    char safe[256];

    mon_safe_text(safe, sizeof(safe), cluster, '?', NULL);
    mon_deadline_text(STAGE_LOOK,
                      "elasticache_event_handler: %s: timed out after %gs "
                      "while describing and probing the cluster\n",
                      safe, seconds);
    mon_deadline_text(STAGE_REBOOT,
                      "elasticache_event_handler: %s: timed out after %gs "
                      "while rebooting (the request may have reached the "
                      "service)\n",
                      safe, seconds);
    mon_deadline_stage(STAGE_LOOK);
    /* Whole seconds, rounded up, as alarm() had it. */
    mon_deadline_arm(ceil(seconds), EXIT_FAILED);
}

/* ------------------------------------------------------------------ */
/* Logging: stdout, syslog, and optionally the engine's command file   */
/* ------------------------------------------------------------------ */

/* syslog, written here rather than through glibc's syslog(3), which only
 * knows /dev/log: --syslog-socket names another (a container's, or a
 * test's own). The message is what glibc sends: "<PRI>TIMESTAMP
 * TAG[PID]: TEXT". */
static int log_fd = -1;
static int log_type = SOCK_DGRAM;
static const char *log_path;

static void log_open(const char *path)
{
    struct sockaddr_un sa = {0};
    int types[] = {SOCK_DGRAM, SOCK_STREAM};

    log_path = path;
    if (strlen(path) >= sizeof(sa.sun_path))
        return;
    sa.sun_family = AF_UNIX;
    memcpy(sa.sun_path, path, strlen(path) + 1);
    for (size_t i = 0; i < 2; i++) {
        int fd = socket(AF_UNIX, types[i] | SOCK_CLOEXEC, 0);

        if (fd < 0)
            continue;
        if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
            log_fd = fd;
            log_type = types[i];
            return;
        }
        close(fd);
        if (errno != EPROTOTYPE)
            return; /* no syslog daemon: like glibc, log nothing there */
    }
}

static void log_send(int priority, const char *text)
{
    char msg[1200], stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    int n;

    if (log_fd < 0)
        return;
    if (!localtime_r(&now, &tm) ||
        strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", &tm) == 0)
        stamp[0] = '\0';
    n = snprintf(msg, sizeof(msg), "<%d>%s %s[%ld]: %s", LOG_DAEMON | priority,
                 stamp, PROGNAME, (long)getpid(), text);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof(msg))
        n = (int)sizeof(msg) - 1;
    /* a stream socket needs the message's end: its NUL, as glibc sends */
    if (send(log_fd, msg, (size_t)n + (log_type == SOCK_STREAM ? 1 : 0),
             MSG_NOSIGNAL) < 0 &&
        log_path) {
        /* the daemon restarted: once more on a new connection */
        close(log_fd);
        log_fd = -1;
        log_open(log_path);
        if (log_fd >= 0)
            (void)send(log_fd, msg,
                       (size_t)n + (log_type == SOCK_STREAM ? 1 : 0),
                       MSG_NOSIGNAL);
    }
}

static void log_close(void)
{
    if (log_fd >= 0)
        close(log_fd);
    log_fd = -1;
}

/* Write one line to the engine's command file without ever blocking: a
 * FIFO with no reader (the engine stopped) or a full one is a warning,
 * not a hang. */
static int write_command(const char *path, const char *line, size_t len,
                         char *why, size_t size)
{
    struct stat st;
    ssize_t w;
    int fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

    if (fd < 0) {
        snprintf(why, size, "cannot open --command-file %s: %s", path,
                 errno == ENXIO ? "nobody reads it (is the engine running?)"
                                : strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) != 0 || !S_ISFIFO(st.st_mode)) {
        close(fd);
        snprintf(why, size,
                 "--command-file %s is not a FIFO (Nagios's command_file, "
                 "Icinga 2's command pipe)",
                 path);
        return -1;
    }
    w = write(fd, line, len);
    close(fd);
    if (w != (ssize_t)len) {
        snprintf(why, size, "cannot write --command-file %s: %s", path,
                 w < 0 ? strerror(errno) : "short write");
        return -1;
    }
    return 0;
}

static const handler_config *g_cfg;

/* One line per decision: stdout, syslog, and the command file when one
 * is given (a comment on the service, or the companion's result with
 * `record` as its state). */
static void decide(int priority, mon_state record, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void decide(int priority, mon_state record, const char *fmt, ...)
{
    const handler_config *cfg = g_cfg;
    char raw[1024], text[1100], safe[1100], cmd[4096], why[512];
    va_list ap;
    int n;

    va_start(ap, fmt);
    vsnprintf(raw, sizeof(raw), fmt, ap);
    va_end(ap);
    snprintf(text, sizeof(text), "%s: %s",
             cfg && cfg->group_id     ? cfg->group_id
             : cfg && cfg->cluster_id ? cfg->cluster_id
                                      : "-",
             raw);
    /* API strings and arguments may hold anything: one line */
    mon_safe_text(safe, sizeof(safe), text, '?', NULL);
    printf("%s: %s\n", PROGNAME, safe);
    fflush(stdout);
    if (cfg && !cfg->no_syslog)
        log_send(priority, safe);
    if (!cfg || !cfg->command_file)
        return;
    n = mon_extcmd_format(cmd, sizeof(cmd), (long long)time(NULL), cfg->host,
                          cfg->record_service ? cfg->record_service
                                              : cfg->service,
                          cfg->record_service ? (int)record : -1, safe);
    if (n < 0) {
        printf("%s: cannot record the decision: host or service name "
               "unusable in an external command\n",
               PROGNAME);
        return;
    }
    if (write_command(cfg->command_file, cmd, (size_t)n, why, sizeof(why)) !=
        0) {
        printf("%s: cannot record the decision: %s\n", PROGNAME, why);
        if (!cfg->no_syslog)
            log_send(LOG_WARNING, why);
    }
}

/* ------------------------------------------------------------------ */
/* Arguments                                                           */
/* ------------------------------------------------------------------ */

static void print_usage(FILE *out)
{
    fputs("Usage: " PROGNAME " -C CLUSTER_ID | -G GROUP_ID [options] [STATE "
          "STATE_TYPE ATTEMPT]\n"
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
         "Never in downtime, after an acknowledgement or while flapping; "
         "never for a\n"
         "probe setting that is wrong (AUTH, TLS) or when no node answered a "
         "connection\n"
         "(the network path looks cut); never while the cluster is "
         "rebooting, never twice\n"
         "within --min-interval. Does not wait for the reboot to finish.\n");
    print_usage(stdout);
    puts("\nOptions:\n"
         "  -h, --help               this help\n"
         "  -V, --version            version\n"
         "  -C, --cluster-id ID      the cache cluster\n"
         "  -G, --replication-group ID\n"
         "                           a Redis replication group (cluster mode "
         "disabled):\n"
         "                           reboots only its replicas that do not "
         "answer, one\n"
         "                           RebootCacheCluster each; never the "
         "primary (a dead\n"
         "                           primary is automatic failover's job: "
         "it says so and\n"
         "                           exits 0); --max-reboots counts the "
         "restarts of every\n"
         "                           member, --max-unresponsive the replicas\n"
         "      --soft-attempt N     act on SOFT CRITICAL from attempt N "
         "(default 3)\n"
         "      --min-interval AGE   no reboot if the nodes restarted within "
         "AGE\n"
         "                           (90s, 15m, 2h, 1d or a timestamp; "
         "default 15m)\n"
         "      --max-reboots N      no reboot once the cluster's nodes "
         "restarted N times\n"
         "                           within --per (the restart events; a "
         "reboot of two\n"
         "                           nodes counts two)\n"
         "      --per AGE            the window of --max-reboots (default "
         "1h)\n"
         "      --max-unresponsive N reboot nothing when more than N nodes "
         "would be\n"
         "                           rebooted (default: no limit)\n"
         "      --all-nodes-if-unknown\n"
         "                           reboot every node when nodes could not "
         "be probed\n"
         "                           (--no-probe, no endpoint); never for a "
         "wrong setting\n"
         "      --dry-run            decide and log, do not reboot\n"
         "  -t, --timeout SECS       give up after SECS (default 25; Nagios "
         "kills handlers\n"
         "                           after event_handler_timeout, 30 s)\n"
         "\nWhat the engine says of the service (any one that holds: no "
         "reboot):\n"
         "      --downtime-depth N   $SERVICEDOWNTIME$ / "
         "$service.downtime_depth$\n"
         "      --host-downtime-depth N\n"
         "                           $HOSTDOWNTIME$ / $host.downtime_depth$\n"
         "      --acknowledged V     $service.acknowledgement$ (0, 1, 2, "
         "true, false)\n"
         "      --flapping V         $service.flapping$ (0, 1, true, false)\n"
         "      --status-file FILE   Nagios's status.dat "
         "($STATUSDATAFILE$): the service's\n"
         "                           acknowledgement, flapping and downtime "
         "(Nagios has no\n"
         "                           macros for the first two); needs --host "
         "and --service\n"
         "  NAGIOS_SERVICEDOWNTIME and NAGIOS_HOSTDOWNTIME are read from the "
         "environment\n"
         "  whenever present (Nagios's environment macros).\n"
         "\nLogging and recording each decision:\n"
         "      --no-syslog          log to stdout only\n"
         "      --syslog-socket PATH syslog socket (default /dev/log)\n"
         "      --host NAME          $HOSTNAME$ (default: NAGIOS_HOSTNAME)\n"
         "      --service NAME       $SERVICEDESC$ (default: "
         "NAGIOS_SERVICEDESC)\n"
         "      --command-file FILE  Nagios's or Icinga 2's external command "
         "file: each\n"
         "                           decision becomes a comment on the "
         "service\n"
         "      --record-service NAME\n"
         "                           instead, a passive result of this "
         "companion service\n"
         "                           on --host (OK nothing done, WARNING "
         "rebooted, CRITICAL\n"
         "                           held back by a cap or a cut path, "
         "UNKNOWN a setting\n"
         "                           to fix or a failure)\n");
    mon_common_help(stdout);
    puts("\nExit status: 0 decided (including nothing to do), 1 failed, 3 "
         "bad usage.");
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

/* A whole number from `min` to 100000. */
static int parse_count(const char *text, long min, long *out)
{
    char *end = NULL;
    long v;

    errno = 0;
    v = strtol(text, &end, 10);
    if (errno || !end || *end || end == text || v < min || v > 100000)
        return -1;
    *out = v;
    return 0;
}

/* The syntax of an age (the moment counts back from the client's clock
 * in run). */
static int check_age(const char *text, char *why, size_t size)
{
    ec_time t;
    ec_error err = {0};

    if (ec_time_parse_since(text, (ec_time){0}, &t, &err) == 0)
        return 0;
    snprintf(why, size, "%s", err.message);
    return -1;
}

/* After the options: what the engine passes, and what goes together. */
static handler_config finish_args(handler_config c, int argc, char **argv)
{
    char why[sizeof(((ec_error *)0)->message)];

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
    /* Nagios's environment macros, whenever present (also with the state
     * as arguments): downtime, and the names to record under. */
    c.env_downtime = getenv("NAGIOS_SERVICEDOWNTIME");
    c.env_host_downtime = getenv("NAGIOS_HOSTDOWNTIME");
    if (!c.host)
        c.host = getenv("NAGIOS_HOSTNAME");
    if (!c.service)
        c.service = getenv("NAGIOS_SERVICEDESC");
    if (!c.cluster_id && !c.group_id)
        return stop(c, EXIT_USAGE, "%s",
                    "-C/--cluster-id or -G/--replication-group is required");
    if (c.cluster_id && c.group_id)
        return stop(c, EXIT_USAGE, "%s",
                    "give -C/--cluster-id or -G/--replication-group, not "
                    "both");
    /* The cluster id itself is checked where the library receives it. */
    if (check_age(c.min_interval, why, sizeof(why)) != 0)
        return stop(c, EXIT_USAGE, "bad --min-interval '%s': %s",
                    c.min_interval, why);
    if (check_age(c.per, why, sizeof(why)) != 0)
        return stop(c, EXIT_USAGE, "bad --per '%s': %s", c.per, why);
    if ((c.command_file || c.status_file) && (!c.host || !c.host[0]))
        return stop(c, EXIT_USAGE, "%s needs --host (or NAGIOS_HOSTNAME)",
                    c.command_file ? "--command-file" : "--status-file");
    if ((c.status_file || (c.command_file && !c.record_service)) &&
        (!c.service || !c.service[0]))
        return stop(c, EXIT_USAGE, "%s needs --service (or NAGIOS_SERVICEDESC)",
                    c.status_file ? "--status-file" : "--command-file");
    if (c.record_service && !c.command_file)
        return stop(c, EXIT_USAGE, "%s",
                    "--record-service needs --command-file");
    if (mon_common_check(&c.common, why, sizeof(why)) != 0)
        return stop(c, EXIT_USAGE, "%s", why);
    return c;
}

static handler_config parse_args(int argc, char **argv)
{
    enum {
        OPT_SOFT = 1,
        OPT_MIN,
        OPT_ALLNODES,
        OPT_DRY,
        OPT_NOSYSLOG,
        OPT_SYSLOG_SOCKET,
        OPT_MAX_UNRESP,
        OPT_MAX_REBOOTS,
        OPT_PER,
        OPT_DOWNTIME,
        OPT_HOST_DOWNTIME,
        OPT_ACK,
        OPT_FLAPPING,
        OPT_STATUS_FILE,
        OPT_HOST,
        OPT_SERVICE,
        OPT_COMMAND_FILE,
        OPT_RECORD_SERVICE
    };
    static const struct option longopts[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"cluster-id", required_argument, NULL, 'C'},
        {"replication-group", required_argument, NULL, 'G'},
        {"timeout", required_argument, NULL, 't'},
        {"soft-attempt", required_argument, NULL, OPT_SOFT},
        {"min-interval", required_argument, NULL, OPT_MIN},
        {"all-nodes-if-unknown", no_argument, NULL, OPT_ALLNODES},
        {"max-unresponsive", required_argument, NULL, OPT_MAX_UNRESP},
        {"max-reboots", required_argument, NULL, OPT_MAX_REBOOTS},
        {"per", required_argument, NULL, OPT_PER},
        {"dry-run", no_argument, NULL, OPT_DRY},
        {"no-syslog", no_argument, NULL, OPT_NOSYSLOG},
        {"syslog-socket", required_argument, NULL, OPT_SYSLOG_SOCKET},
        {"downtime-depth", required_argument, NULL, OPT_DOWNTIME},
        {"host-downtime-depth", required_argument, NULL, OPT_HOST_DOWNTIME},
        {"acknowledged", required_argument, NULL, OPT_ACK},
        {"flapping", required_argument, NULL, OPT_FLAPPING},
        {"status-file", required_argument, NULL, OPT_STATUS_FILE},
        {"host", required_argument, NULL, OPT_HOST},
        {"service", required_argument, NULL, OPT_SERVICE},
        {"command-file", required_argument, NULL, OPT_COMMAND_FILE},
        {"record-service", required_argument, NULL, OPT_RECORD_SERVICE},
        MON_COMMON_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    handler_config c = {0};
    mon_common common = MON_COMMON_INIT;
    int opt;

    c.soft_attempt = DEFAULT_SOFT_ATTEMPT;
    c.min_interval = DEFAULT_MIN_INTERVAL;
    c.per = DEFAULT_PER;
    c.max_unresponsive = -1;
    c.max_reboots = -1;
    c.syslog_socket = DEFAULT_SYSLOG_SOCKET;
    c.timeout = 25; /* under Nagios's event_handler_timeout of 30 s */
    c.common = common;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":hVC:G:t:", longopts, NULL)) != -1) {
        char bad[256];

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
        case 'G':
            c.group_id = optarg;
            break;
        case 't':
            if (mon_parse_seconds(optarg, &c.timeout) != 0)
                return stop(c, EXIT_USAGE,
                            "-t/--timeout wants a positive number of seconds");
            break;
        case OPT_SOFT:
            if (parse_count(optarg, 1, &c.soft_attempt) != 0)
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
        case OPT_MAX_UNRESP:
            if (parse_count(optarg, 1, &c.max_unresponsive) != 0)
                return stop(c, EXIT_USAGE,
                            "--max-unresponsive wants a number from 1, not "
                            "'%s'",
                            optarg);
            break;
        case OPT_MAX_REBOOTS:
            if (parse_count(optarg, 1, &c.max_reboots) != 0)
                return stop(c, EXIT_USAGE,
                            "--max-reboots wants a number from 1, not '%s'",
                            optarg);
            break;
        case OPT_PER:
            c.per = optarg;
            break;
        case OPT_DRY:
            c.dry_run = true;
            break;
        case OPT_NOSYSLOG:
            c.no_syslog = true;
            break;
        case OPT_SYSLOG_SOCKET:
            c.syslog_socket = optarg;
            break;
        case OPT_DOWNTIME:
            c.downtime_depth = optarg;
            break;
        case OPT_HOST_DOWNTIME:
            c.host_downtime_depth = optarg;
            break;
        case OPT_ACK:
            c.acknowledged = optarg;
            break;
        case OPT_FLAPPING:
            c.flapping = optarg;
            break;
        case OPT_STATUS_FILE:
            c.status_file = optarg;
            break;
        case OPT_HOST:
            c.host = optarg;
            break;
        case OPT_SERVICE:
            c.service = optarg;
            break;
        case OPT_COMMAND_FILE:
            c.command_file = optarg;
            break;
        case OPT_RECORD_SERVICE:
            c.record_service = optarg;
            break;
        default:
            if (mon_common_getopt(&c.common, opt, optarg, argv[optind - 1], bad,
                                  sizeof(bad)) != 0)
                return stop(c, EXIT_USAGE, "%s", bad);
            break;
        }
    }
    return finish_args(c, argc, argv);
}

/* ------------------------------------------------------------------ */
/* Deciding                                                            */
/* ------------------------------------------------------------------ */

/* The service's acknowledgement, flapping and downtime from Nagios's
 * status file. -1 (why) when it cannot be read or does not hold the
 * service: no reboot without knowing. */
static int read_status_file(const handler_config *cfg, mon_status_scan *scan,
                            char *why, size_t size)
{
    struct stat st;
    FILE *f;
    char *line = NULL;
    size_t cap = 0;
    int fd;

    mon_status_scan_init(scan, cfg->host, cfg->service);
    fd = open(cfg->status_file, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(why, size, "cannot read --status-file %s: %s",
                 cfg->status_file,
                 fd < 0 ? strerror(errno) : "not a regular file");
        if (fd >= 0)
            close(fd);
        return -1;
    }
    f = fdopen(fd, "r");
    if (!f) {
        close(fd);
        snprintf(why, size, "cannot read --status-file %s", cfg->status_file);
        return -1;
    }
    while (getline(&line, &cap, f) > 0)
        mon_status_scan_line(scan, line);
    free(line);
    fclose(f);
    if (!scan->found) {
        snprintf(why, size,
                 "service '%s' of host '%s' is not in --status-file %s",
                 cfg->service, cfg->host, cfg->status_file);
        return -1;
    }
    return 0;
}

/* Whether to act at all: MON_GATE_ACT, SKIP (decided) or USAGE, with -1
 * in *failed when the status file could not be read. */
static mon_gate_result gate(const handler_config *cfg, char *why, size_t size,
                            bool *failed)
{
    mon_fact facts[12];
    size_t n = 0;
    mon_gate_input in;
    mon_status_scan scan;

    *failed = false;
    facts[n++] = (mon_fact){MON_FACT_SERVICE_DOWNTIME, cfg->downtime_depth,
                            "--downtime-depth"};
    facts[n++] = (mon_fact){MON_FACT_HOST_DOWNTIME, cfg->host_downtime_depth,
                            "--host-downtime-depth"};
    facts[n++] = (mon_fact){MON_FACT_SERVICE_DOWNTIME, cfg->env_downtime,
                            "NAGIOS_SERVICEDOWNTIME"};
    facts[n++] = (mon_fact){MON_FACT_HOST_DOWNTIME, cfg->env_host_downtime,
                            "NAGIOS_HOSTDOWNTIME"};
    facts[n++] =
        (mon_fact){MON_FACT_ACKNOWLEDGED, cfg->acknowledged, "--acknowledged"};
    facts[n++] = (mon_fact){MON_FACT_FLAPPING, cfg->flapping, "--flapping"};
    in.state = cfg->state;
    in.state_type = cfg->state_type;
    in.attempt = cfg->attempt;
    in.soft_attempt = cfg->soft_attempt;
    in.facts = facts;
    in.nfacts = n;
    /* The arguments first: a usage error needs no file. */
    {
        mon_gate_result r = mon_gate_check(&in, why, size);

        if (r != MON_GATE_ACT || !cfg->status_file)
            return r;
    }
    if (read_status_file(cfg, &scan, why, size) != 0) {
        *failed = true;
        return MON_GATE_SKIP;
    }
    facts[n++] = (mon_fact){MON_FACT_SERVICE_DOWNTIME, scan.downtime,
                            "status file scheduled_downtime_depth"};
    facts[n++] = (mon_fact){MON_FACT_HOST_DOWNTIME, scan.host_downtime,
                            "status file host scheduled_downtime_depth"};
    facts[n++] = (mon_fact){MON_FACT_ACKNOWLEDGED, scan.ack,
                            "status file problem_has_been_acknowledged"};
    facts[n++] =
        (mon_fact){MON_FACT_FLAPPING, scan.flapping, "status file is_flapping"};
    in.nfacts = n;
    return mon_gate_check(&in, why, size);
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
    mon_tokens tokens = {0};
    char errtext[768];
    double timeout = cfg->common.probe_timeout > 0 ? cfg->common.probe_timeout
                                                   : DEFAULT_PROBE_TIMEOUT;
    lookup ret = FAILED;

    if (!cfg->common.no_probe &&
        mon_tokens_load(&cfg->common, &tokens, why, size) != 0)
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
            &cfg->common, timeout, 0, &tokens, fleet, &err) != 0) {
        ec_error_format(&err, errtext, sizeof(errtext));
        snprintf(why, size, "cannot probe: %s", errtext);
        goto out;
    }
    ret = LOOKED;
out:
    mon_tokens_free(&tokens);
    return ret;
}

/* --max-reboots: how often the cluster's nodes restarted within --per,
 * from the restart events (no state of our own). -1 on an API error. */
static int restarts_within(const handler_config *cfg, ec_client *client,
                           const char *cluster_id, size_t *count, char *why,
                           size_t size)
{
    ec_describe_events_input in = EC_DESCRIBE_EVENTS_INPUT_INIT;
    ec_describe_events_output *out = NULL;
    ec_error err = {0};
    char errtext[768];
    ec_time since;

    if (ec_time_parse_since(cfg->per, ec_client_now(client), &since, &err) !=
        0) {
        snprintf(why, size, "bad --per: %s", err.message);
        return -1;
    }
    in.source_identifier = cluster_id;
    in.source_type = "cache-cluster";
    in.start_time = since;
    in.max_records.set = true;
    in.max_records.value = 100;
    if (ec_describe_events_all(client, &in, &out, &err) != 0) {
        ec_error_format(&err, errtext, sizeof(errtext));
        snprintf(why, size, "cannot read the cluster's events: %s", errtext);
        return -1;
    }
    *count = mon_count_restarts((const ec_event *const *)out->events.items,
                                out->events.count, cluster_id, since);
    ec_describe_events_output_free(out);
    return 0;
}

/* A pick that reboots nothing, of a cluster's nodes or of a group's
 * replicas: the one place its outcome becomes a decision (the table is
 * mon_pick_record_of, unit-tested). `why` says what was held back. */
static void decide_no_reboot(mon_pick_outcome outcome, const char *why)
{
    mon_pick_record rec = mon_pick_record_of(outcome);

    decide(rec.warn ? LOG_WARNING : LOG_INFO, rec.state, "%s", why);
}

/* The safe reboot of the picked nodes, and what came of it; started is when
 * the run armed its deadline, so the reboot gets what is left of -t. */
static int reboot_nodes(const handler_config *cfg, ec_client *client,
                        const char *cluster_id, const ec_strlist *nodes,
                        ec_time started)
{
    ec_reboot_options ro = EC_REBOOT_OPTIONS_INIT;
    ec_reboot_policy policy = EC_REBOOT_POLICY_INIT;
    ec_reboot_result *res = NULL;
    ec_error err = {0};
    char errtext[768], list[600] = "", done[600];
    /* -G names the member cluster after its node ids */
    char of[300] = "";
    int ret = EXIT_FAILED;

    if (cfg->group_id)
        snprintf(of, sizeof(of), " of %s", cluster_id);
    ec_strlist_join(nodes, ",", list, sizeof(list) - sizeof(of));
    strncat(list, of, sizeof(list) - strlen(list) - 1);
    ro.cache_cluster_id = cluster_id;
    ro.policy = &policy;
    policy.node_ids = (const char *const *)nodes->items;
    policy.node_count = nodes->count;
    if (ec_time_parse_since(cfg->min_interval, ec_client_now(client),
                            &policy.unless_rebooted_since, &err) != 0) {
        decide(LOG_ERR, MON_UNKNOWN, "bad --min-interval: %s", err.message);
        goto out;
    }
    mon_deadline_stage(STAGE_REBOOT);
    ro.check_mode = cfg->dry_run;
    ro.wait = false;
    /* What is left of -t, less a second for the safety net's rounding: the
     * library confirms a lost answer within it and reports the service's
     * own error before the deadline would (issue 8, item 10). The gates
     * above (--max-reboots reads the events) have spent their share. */
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
                decide(LOG_WARNING, MON_WARNING,
                       "not rebooting node(s) %s, refused: an event handler "
                       "never reboots a replication group's primary in "
                       "place (a failed primary is the job of the group's "
                       "automatic failover): %s",
                       list, err.message);
            else
                decide(LOG_WARNING, MON_WARNING,
                       "not rebooting node(s) %s, refused: %s", list,
                       err.message);
            ret = EXIT_DECIDED;
            goto out;
        }
        ec_error_format(&err, errtext, sizeof(errtext));
        decide(LOG_ERR, MON_UNKNOWN, "reboot of node(s) %s failed: %s%s", list,
               errtext,
               err.maybe_sent ? " (the request may have reached the service)"
                              : "");
        goto out;
    }
    if (res->decision == EC_DECIDE_REBOOT) {
        ec_strlist_join(&res->rebooted_node_ids, ",", done,
                        sizeof(done) - sizeof(of));
        strncat(done, of, sizeof(done) - strlen(done) - 1);
        if (cfg->dry_run)
            decide(LOG_NOTICE, MON_WARNING,
                   "dry run: would reboot unresponsive node(s) %s", done);
        else if (res->changed)
            decide(LOG_NOTICE, MON_WARNING,
                   "rebooting unresponsive node(s) %s (request %s)", done,
                   res->request_id ? res->request_id : "-");
        else
            decide(LOG_NOTICE, MON_WARNING,
                   "node(s) %s already rebooting (another caller): %s", done,
                   res->message);
    } else {
        decide(LOG_NOTICE, MON_OK, "not rebooting node(s) %s: %s (%s)", list,
               ec_reboot_decision_str(res->decision), res->message);
    }
    ret = EXIT_DECIDED;
out:
    ec_reboot_result_free(res);
    return ret;
}

/* ------------------------------------------------------------------ */
/* -G: a replication group's replicas                                  */
/* ------------------------------------------------------------------ */

/* The group, its members and their probes. */
typedef struct group_look {
    ec_describe_replication_groups_output *rg;
    const ec_replication_group *g;
    ec_describe_cache_clusters_output **outs; /* one per member */
    const ec_cache_cluster **clusters;        /* the described ones */
    size_t nclusters;
    mon_group_member *members;
    size_t nmembers;
    mon_fleet_probe fleet;
} group_look;

static void group_look_free(group_look *gl)
{
    mon_fleet_probe_free(&gl->fleet);
    for (size_t i = 0; gl->outs && i < gl->nmembers; i++)
        ec_describe_cache_clusters_output_free(gl->outs[i]);
    free(gl->outs);
    free(gl->clusters);
    free(gl->members);
    ec_describe_replication_groups_output_free(gl->rg);
}

/* DescribeReplicationGroups: LOOKED, GONE, FAILED or BAD_ARGS. */
static lookup group_describe(const handler_config *cfg, ec_client *client,
                             group_look *gl, char *why, size_t size)
{
    ec_describe_replication_groups_input in =
        EC_DESCRIBE_REPLICATION_GROUPS_INPUT_INIT;
    ec_error err = {0};
    char errtext[768];

    in.replication_group_id = cfg->group_id;
    if (ec_describe_replication_groups(client, &in, &gl->rg, &err) != 0) {
        ec_error_format(&err, errtext, sizeof(errtext));
        snprintf(why, size, "%s", errtext);
        if (err.code == EC_ERR_INVALID_ARGUMENT) {
            snprintf(why, size, "bad replication group id: %s", err.message);
            return BAD_ARGS;
        }
        if (err.code == EC_ERR_SERVICE &&
            strcmp(err.aws_code, "ReplicationGroupNotFoundFault") == 0) {
            snprintf(why, size,
                     "replication group not found (%s): nothing to reboot",
                     err.aws_code);
            return GONE;
        }
        return FAILED;
    }
    if (gl->rg->replication_groups.count != 1) {
        snprintf(why, size, "DescribeReplicationGroups returned %zu groups",
                 gl->rg->replication_groups.count);
        return FAILED;
    }
    gl->g = gl->rg->replication_groups.items[0];
    return LOOKED;
}

/* Each member cluster with its node, then every node probed in one run. A
 * member the API no longer knows stays undescribed (never rebooted). */
static lookup group_members_probe(const handler_config *cfg, ec_client *client,
                                  group_look *gl, char *why, size_t size)
{
    const ec_strlist *ids = &gl->g->member_clusters;
    mon_tokens tokens = {0};
    ec_error err = {0};
    char errtext[768];
    double timeout = cfg->common.probe_timeout > 0 ? cfg->common.probe_timeout
                                                   : DEFAULT_PROBE_TIMEOUT;
    lookup ret = FAILED;
    size_t j = 0;

    gl->nmembers = ids->count;
    gl->outs = calloc(ids->count ? ids->count : 1, sizeof(*gl->outs));
    gl->clusters = calloc(ids->count ? ids->count : 1, sizeof(*gl->clusters));
    gl->members = calloc(ids->count ? ids->count : 1, sizeof(*gl->members));
    if (!gl->outs || !gl->clusters || !gl->members) {
        snprintf(why, size, "out of memory");
        return FAILED;
    }
    for (size_t i = 0; i < ids->count; i++) {
        ec_describe_cache_clusters_input in =
            EC_DESCRIBE_CACHE_CLUSTERS_INPUT_INIT;

        gl->members[i].cluster_id = ids->items[i];
        in.cache_cluster_id = ids->items[i];
        in.show_cache_node_info.set = true;
        in.show_cache_node_info.value = true;
        if (ec_describe_cache_clusters(client, &in, &gl->outs[i], &err) != 0) {
            if (err.code == EC_ERR_SERVICE &&
                strcmp(err.aws_code, "CacheClusterNotFound") == 0) {
                ec_error_clear(&err);
                continue;
            }
            ec_error_format(&err, errtext, sizeof(errtext));
            snprintf(why, size, "%s", errtext);
            return FAILED;
        }
        if (gl->outs[i]->cache_clusters.count == 1) {
            gl->members[i].cluster = gl->outs[i]->cache_clusters.items[0];
            gl->clusters[gl->nclusters++] = gl->members[i].cluster;
        }
    }
    if (!cfg->common.no_probe &&
        mon_tokens_load(&cfg->common, &tokens, why, size) != 0)
        goto out;
    if (mon_probe_clusters(gl->clusters, gl->nclusters, &cfg->common, timeout,
                           0, &tokens, &gl->fleet, &err) != 0) {
        ec_error_format(&err, errtext, sizeof(errtext));
        snprintf(why, size, "cannot probe: %s", errtext);
        goto out;
    }
    for (size_t i = 0; i < gl->nmembers; i++) {
        mon_group_member *m = &gl->members[i];

        if (!m->cluster)
            continue;
        if (gl->fleet.first[j + 1] > gl->fleet.first[j])
            m->probe = &gl->fleet.nodes[gl->fleet.first[j]];
        m->plan = &gl->fleet.plans[j];
        j++;
    }
    ret = LOOKED;
out:
    mon_tokens_free(&tokens);
    return ret;
}

/* --max-reboots for a group: the restarts of every member within --per
 * (a replica's reboot today and another's tomorrow both count). -1 on an
 * API error. */
static int group_restarts(const handler_config *cfg, ec_client *client,
                          const group_look *gl, size_t *count, char *why,
                          size_t size)
{
    *count = 0;
    for (size_t i = 0; i < gl->nmembers; i++) {
        size_t n = 0;

        if (restarts_within(cfg, client, gl->members[i].cluster_id, &n, why,
                            size) != 0)
            return -1;
        *count += n;
    }
    return 0;
}

/* The node id of member cluster `id` (a member has one node). */
static const char *member_node(const group_look *gl, const char *id)
{
    for (size_t i = 0; i < gl->nmembers; i++) {
        const ec_cache_cluster *cl = gl->members[i].cluster;

        if (cl && strcmp(gl->members[i].cluster_id, id) == 0 &&
            cl->cache_nodes.count > 0)
            return cl->cache_nodes.items[0]->cache_node_id;
    }
    return NULL;
}

/* -G: describe, probe, pick the unresponsive replicas, apply the caps,
 * and reboot each (one RebootCacheCluster per replica cluster). */
static int run_group(const handler_config *cfg, ec_client *client,
                     ec_time started)
{
    group_look gl = {0};
    mon_group_pick pick = {0};
    char why[1024];
    int ret = EXIT_FAILED;
    lookup lk;

    why[0] = '\0';
    lk = group_describe(cfg, client, &gl, why, sizeof(why));
    /* Cluster mode enabled is refused from the group alone (the pick says
     * so first): no member described or probed for nothing. */
    if (lk == LOOKED && !mon_group_cluster_mode(gl.g))
        lk = group_members_probe(cfg, client, &gl, why, sizeof(why));
    switch (lk) {
    case LOOKED:
        break;
    case GONE:
        decide(LOG_INFO, MON_OK, "%s", why);
        ret = EXIT_DECIDED;
        goto out;
    case BAD_ARGS:
        printf("%s: %s\n", PROGNAME, why);
        print_usage(stdout);
        ret = EXIT_USAGE;
        goto out;
    case FAILED:
        decide(LOG_ERR, MON_UNKNOWN, "failed: %s", why);
        goto out;
    }
    if (mon_pick_group_replicas(gl.g, gl.members, gl.nmembers,
                                cfg->max_unresponsive, &pick) != 0) {
        decide(LOG_ERR, MON_UNKNOWN, "failed: %s", pick.why);
        goto out;
    }
    if (pick.outcome != MON_PICK_REBOOT) {
        decide_no_reboot(pick.outcome, pick.why);
        ret = EXIT_DECIDED;
        goto out;
    }
    if (cfg->max_reboots > 0) {
        size_t restarts = 0;

        if (group_restarts(cfg, client, &gl, &restarts, why, sizeof(why)) !=
            0) {
            decide(LOG_ERR, MON_UNKNOWN, "failed: %s; not rebooting", why);
            goto out;
        }
        if (restarts >= (size_t)cfg->max_reboots) {
            decide(LOG_WARNING, MON_CRITICAL,
                   "not rebooting %s: the group's nodes restarted %zu times "
                   "within %s (--max-reboots %ld)",
                   pick.why, restarts, cfg->per, cfg->max_reboots);
            ret = EXIT_DECIDED;
            goto out;
        }
    }
    ret = EXIT_DECIDED;
    for (size_t i = 0; i < pick.clusters.count; i++) {
        const char *id = pick.clusters.items[i];
        const char *node = member_node(&gl, id);
        ec_strlist nodes = {0};
        int rc;

        if (!node || ec_strlist_push(&nodes, node) != 0) {
            decide(LOG_ERR, MON_UNKNOWN, "failed: no node id for %s", id);
            ret = EXIT_FAILED;
            continue;
        }
        rc = reboot_nodes(cfg, client, id, &nodes, started);
        ec_strlist_clear(&nodes);
        if (rc != EXIT_DECIDED)
            ret = rc;
    }
out:
    ec_strlist_clear(&pick.clusters);
    group_look_free(&gl);
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
    mon_pick_options po = {cfg->all_nodes_if_unknown, cfg->max_unresponsive};
    char why[1024];
    char errtext[768];
    bool failed;
    ec_time started = {0};
    int ret = EXIT_FAILED;

    switch (gate(cfg, why, sizeof(why), &failed)) {
    case MON_GATE_USAGE:
        printf("%s: %s\n", PROGNAME, why);
        print_usage(stdout);
        return EXIT_USAGE;
    case MON_GATE_SKIP:
        if (failed) {
            decide(LOG_ERR, MON_UNKNOWN, "failed: %s; not rebooting", why);
            return EXIT_FAILED;
        }
        decide(LOG_INFO, MON_OK, "%s", why);
        return EXIT_DECIDED;
    case MON_GATE_ACT:
        break;
    }
    /* The API calls get a third of the budget each: describe, then the
     * library's describe and reboot; the alarm covers the rest. */
    ac.read_timeout = cfg->timeout / 3;
    ac.connect_timeout = ac.read_timeout < 5 ? ac.read_timeout : 5;
    /* A credential_process gets the same third, not its own minute. */
    ac.credential_process_timeout = ac.read_timeout;
    arm_deadline(cfg->group_id ? cfg->group_id : cfg->cluster_id, cfg->timeout);
    started = ec_time_now();
    client = ec_client_new(&ac, &err);
    if (!client) {
        ec_error_format(&err, errtext, sizeof(errtext));
        decide(LOG_ERR, MON_UNKNOWN, "cannot set up the API client: %s",
               errtext);
        goto out;
    }
    why[0] = '\0';
    if (cfg->group_id) {
        ret = run_group(cfg, client, started);
        goto out;
    }
    switch (
        describe_and_probe(cfg, client, &described, &fleet, why, sizeof(why))) {
    case LOOKED:
        break;
    case GONE:
        decide(LOG_INFO, MON_OK, "%s", why);
        ret = EXIT_DECIDED;
        goto out;
    case BAD_ARGS:
        /* As a usage error while parsing arguments reads. */
        printf("%s: %s\n", PROGNAME, why);
        print_usage(stdout);
        ret = EXIT_USAGE;
        goto out;
    case FAILED:
        decide(LOG_ERR, MON_UNKNOWN, "failed: %s", why);
        goto out;
    }
    if (mon_pick_nodes(described->cache_clusters.items[0], fleet.nodes,
                       fleet.count, &fleet.plans[0], &po, &pick) != 0) {
        decide(LOG_ERR, MON_UNKNOWN, "failed: %s", pick.why);
        goto out;
    }
    if (pick.outcome != MON_PICK_REBOOT) {
        decide_no_reboot(pick.outcome, pick.why);
        ret = EXIT_DECIDED;
        goto out;
    }
    if (cfg->max_reboots > 0) {
        size_t restarts = 0;

        if (restarts_within(cfg, client, cfg->cluster_id, &restarts, why,
                            sizeof(why)) != 0) {
            decide(LOG_ERR, MON_UNKNOWN, "failed: %s; not rebooting", why);
            goto out;
        }
        if (restarts >= (size_t)cfg->max_reboots) {
            char list[512];

            ec_strlist_join(&pick.nodes, ",", list, sizeof(list));
            decide(LOG_WARNING, MON_CRITICAL,
                   "not rebooting node(s) %s: the cluster's nodes restarted "
                   "%zu times within %s (--max-reboots %ld)",
                   list, restarts, cfg->per, cfg->max_reboots);
            ret = EXIT_DECIDED;
            goto out;
        }
    }
    ret = reboot_nodes(cfg, client, cfg->cluster_id, &pick.nodes, started);
out:
    mon_deadline_disarm();
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
            char safe[sizeof(cfg.message)];

            mon_safe_text(safe, sizeof(safe), cfg.message, '?', NULL);
            printf("%s: %s\n", PROGNAME, safe);
            print_usage(stdout);
        } else if (cfg.message[0]) {
            printf("%s\n", cfg.message);
        }
        return cfg.exit_code;
    }
    /* TLS probes write through OpenSSL's socket BIO (plain write()): a
     * node closing early must not kill us with SIGPIPE. */
    signal(SIGPIPE, SIG_IGN);
    g_cfg = &cfg;
    if (!cfg.no_syslog)
        log_open(cfg.syslog_socket);
    rc = run(&cfg);
    log_close();
    return rc;
}
