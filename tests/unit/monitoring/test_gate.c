/* The event handler's gates: the state Nagios or Icinga 2 passes, the
 * downtime, acknowledgement and flapping they say of the service (macros,
 * environment macros, status.dat), the restarts in a window, and the
 * external command lines that record each decision. */
#include <string.h>

#include "gate.h"
#include "testutil.h"

typedef struct gate_case {
    const char *name;
    const char *state, *type, *attempt;
    /* facts: service downtime, host downtime, ack, flapping (NULL: none) */
    const char *downtime, *host_downtime, *ack, *flapping;
    mon_gate_result want;
    const char *why; /* NULL for ACT */
} gate_case;

static const gate_case cases[] = {
    {"CRITICAL HARD acts", "CRITICAL", "HARD", "1", NULL, NULL, NULL, NULL,
     MON_GATE_ACT, NULL},
    {"Icinga's numbers", "2", "hard", "1", "0", "0", "0", "false", MON_GATE_ACT,
     NULL},
    {"CRITICAL SOFT 3 acts", "CRITICAL", "SOFT", "3", NULL, NULL, NULL, NULL,
     MON_GATE_ACT, NULL},
    {"CRITICAL SOFT 2 waits", "CRITICAL", "SOFT", "2", NULL, NULL, NULL, NULL,
     MON_GATE_SKIP, "CRITICAL SOFT attempt 2: waiting for attempt 3 or HARD"},
    {"OK: nothing", "OK", "HARD", "1", NULL, NULL, NULL, NULL, MON_GATE_SKIP,
     "service is OK: nothing to do"},
    {"WARNING: nothing", "1", "HARD", "1", NULL, NULL, NULL, NULL,
     MON_GATE_SKIP, "service is WARNING: nothing to do"},
    {"BOGUS is a usage error", "BOGUS", "HARD", "1", NULL, NULL, NULL, NULL,
     MON_GATE_USAGE,
     "state 'BOGUS' is not a service state (OK, WARNING, CRITICAL, UNKNOWN "
     "or 0-3)"},
    {"an empty state is a usage error", "", "HARD", "1", NULL, NULL, NULL, NULL,
     MON_GATE_USAGE,
     "state '' is not a service state (OK, WARNING, CRITICAL, UNKNOWN or "
     "0-3)"},
    {"a bad state type", "CRITICAL", "HARDER", "1", NULL, NULL, NULL, NULL,
     MON_GATE_USAGE, "state type 'HARDER' is neither SOFT nor HARD"},
    {"a bad attempt", "CRITICAL", "SOFT", "three", NULL, NULL, NULL, NULL,
     MON_GATE_USAGE, "attempt 'three' is not a number"},
    {"in downtime", "CRITICAL", "HARD", "1", "1", NULL, NULL, NULL,
     MON_GATE_SKIP,
     "service in scheduled downtime (--downtime-depth 1): not rebooting"},
    {"host in downtime", "CRITICAL", "HARD", "1", "0", "2", NULL, NULL,
     MON_GATE_SKIP,
     "host in scheduled downtime (--host-downtime-depth 2): not rebooting"},
    {"acknowledged (Icinga: sticky)", "CRITICAL", "HARD", "1", NULL, NULL, "2",
     NULL, MON_GATE_SKIP,
     "problem acknowledged (--acknowledged 2): not rebooting"},
    {"flapping", "CRITICAL", "HARD", "1", NULL, NULL, "0", "true",
     MON_GATE_SKIP, "service flapping (--flapping true): not rebooting"},
    {"downtime is named first", "CRITICAL", "HARD", "1", "1", NULL, "1", "1",
     MON_GATE_SKIP,
     "service in scheduled downtime (--downtime-depth 1): not rebooting"},
    {"in downtime but not CRITICAL: nothing to do", "OK", "HARD", "1", "1",
     NULL, NULL, NULL, MON_GATE_SKIP, "service is OK: nothing to do"},
    {"a bad depth is a usage error", "CRITICAL", "HARD", "1", "yes", NULL, NULL,
     NULL, MON_GATE_USAGE,
     "--downtime-depth 'yes' is not a downtime depth (0, 1, ...)"},
    {"a bad flag is a usage error", "CRITICAL", "HARD", "1", NULL, NULL,
     "maybe", NULL, MON_GATE_USAGE,
     "--acknowledged 'maybe' is not 0, 1, 2, true or false"},
    {"empty macros (not given) are nothing", "CRITICAL", "HARD", "1", "", "",
     "", "", MON_GATE_ACT, NULL},
};

static void test_gate(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const gate_case *gc = &cases[i];
        mon_fact facts[4] = {
            {MON_FACT_SERVICE_DOWNTIME, gc->downtime, "--downtime-depth"},
            {MON_FACT_HOST_DOWNTIME, gc->host_downtime,
             "--host-downtime-depth"},
            {MON_FACT_ACKNOWLEDGED, gc->ack, "--acknowledged"},
            {MON_FACT_FLAPPING, gc->flapping, "--flapping"},
        };
        mon_gate_input in = {gc->state, gc->type, gc->attempt, 3, facts, 4};
        char why[512] = "";
        mon_gate_result got = mon_gate_check(&in, why, sizeof(why));

        if (got != gc->want || (gc->why && strcmp(why, gc->why) != 0))
            fprintf(stderr, "case '%s': %d '%s'\n", gc->name, (int)got, why);
        CHECK_INT(got, gc->want);
        if (gc->why)
            CHECK_STR(why, gc->why);
    }
}

/* A piece of a real nagios4 status.dat (4.4.6), two services. */
static const char status_dat[] =
    "info {\n\tcreated=1700000000\n\tversion=4.4.6\n\t}\n\n"
    "hoststatus {\n\thost_name=e2e-region\n\tcurrent_state=0\n"
    "\tscheduled_downtime_depth=1\n\t}\n\n"
    "hoststatus {\n\thost_name=other\n\tscheduled_downtime_depth=0\n\t}\n\n"
    "servicestatus {\n\thost_name=e2e-region\n"
    "\tservice_description=ElastiCache rd\n"
    "\tproblem_has_been_acknowledged=0\n\tis_flapping=0\n"
    "\tscheduled_downtime_depth=0\n\t}\n\n"
    "servicestatus {\n\thost_name=e2e-region\n"
    "\tservice_description=ElastiCache mc\n\tcurrent_state=2\n"
    "\tproblem_has_been_acknowledged=1\n\tis_flapping=1\n"
    "\tscheduled_downtime_depth=2\n\t}\n\n"
    "servicecomment {\n\thost_name=e2e-region\n"
    "\tservice_description=ElastiCache mc\n\tcomment_data=x=y\n\t}\n";

static void scan_text(mon_status_scan *s, const char *text)
{
    char line[256];

    while (*text) {
        size_t n = strcspn(text, "\n");

        memcpy(line, text, n);
        line[n] = '\0';
        mon_status_scan_line(s, line);
        text += n + (text[n] ? 1 : 0);
    }
}

static void test_status_dat(void)
{
    mon_status_scan s;

    mon_status_scan_init(&s, "e2e-region", "ElastiCache mc");
    scan_text(&s, status_dat);
    CHECK(s.found);
    CHECK(s.host_found);
    CHECK_STR(s.ack, "1");
    CHECK_STR(s.flapping, "1");
    CHECK_STR(s.downtime, "2");
    CHECK_STR(s.host_downtime, "1");
    mon_status_scan_init(&s, "e2e-region", "ElastiCache rd");
    scan_text(&s, status_dat);
    CHECK(s.found);
    CHECK_STR(s.ack, "0");
    CHECK_STR(s.downtime, "0");
    mon_status_scan_init(&s, "e2e-region", "ElastiCache none");
    scan_text(&s, status_dat);
    CHECK(!s.found);
    mon_status_scan_init(&s, "other-host", "ElastiCache mc");
    scan_text(&s, status_dat);
    CHECK(!s.found);
}

static ec_event event(const char *id, const char *msg, long long sec)
{
    ec_event e = {0};

    e.source_identifier = (char *)id;
    e.source_type = "cache-cluster";
    e.message = (char *)msg;
    e.date.set = true;
    e.date.sec = sec;
    return e;
}

static void test_restarts(void)
{
    ec_event ev[7];
    const ec_event *p[7];
    ec_time since = {0};

    ev[0] = event("mc", "Cache node 0001 restarted", 1000);
    ev[1] = event("mc", "Cache node 0002 restarted", 1000);
    ev[2] = event("MC", "cache node 0003 restarted", 2000);
    ev[3] = event("mc", "Cache node 0001 restarted", 10);      /* too old */
    ev[4] = event("other", "Cache node 0001 restarted", 1500); /* not ours */
    ev[5] = event("mc", "Cache cluster rebooted", 1500); /* not a restart */
    ev[6] = event("mc", "Cache node x restarted", 1500); /* not a node id */
    for (int i = 0; i < 7; i++)
        p[i] = &ev[i];
    since.set = true;
    since.sec = 500;
    CHECK_INT(mon_count_restarts(p, 7, "mc", since), 3);
    since.sec = 1500;
    CHECK_INT(mon_count_restarts(p, 7, "mc", since), 1);
    CHECK_INT(mon_count_restarts(p, 7, "none", since), 0);
    CHECK_INT(mon_count_restarts(p, 0, "mc", since), 0);
}

static void test_extcmd(void)
{
    char buf[4096], big[5000];
    int n;

    n = mon_extcmd_format(buf, sizeof(buf), 1700000000, "e2e-region",
                          "ElastiCache mc", -1,
                          "mc: rebooting node(s) 0002 (request 1)");
    CHECK(n > 0);
    CHECK_STR(buf, "[1700000000] ADD_SVC_COMMENT;e2e-region;ElastiCache mc;0;"
                   "elasticache_event_handler;mc: rebooting node(s) 0002 "
                   "(request 1)\n");
    n = mon_extcmd_format(buf, sizeof(buf), 5, "h", "handler", 1,
                          "a|b\nELASTICACHE OK - forged");
    CHECK(n > 0);
    /* one line, no perfdata separator: nothing forged */
    CHECK_STR(buf, "[5] PROCESS_SERVICE_CHECK_RESULT;h;handler;1;a b "
                   "ELASTICACHE OK - forged\n");
    CHECK_INT(mon_extcmd_format(buf, sizeof(buf), 5, "h;x", "s", -1, "t"), -1);
    CHECK_INT(mon_extcmd_format(buf, sizeof(buf), 5, "h", "s\nADD", -1, "t"),
              -1);
    CHECK_INT(mon_extcmd_format(buf, sizeof(buf), 5, "", "s", -1, "t"), -1);
    CHECK_INT(mon_extcmd_format(buf, sizeof(buf), 5, "h", "s", 4, "t"), -1);
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    n = mon_extcmd_format(buf, sizeof(buf), 5, "h", "s", -1, big);
    /* the text is cut to fit one atomic write */
    CHECK(n > 0 && n < 4096);
}

int main(void)
{
    test_gate();
    test_status_dat();
    test_restarts();
    test_extcmd();
    return test_status("gate");
}
