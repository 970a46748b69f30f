/*
 * Whether elasticache_event_handler may act at all, before it looks at the
 * nodes: the state Nagios or Icinga 2 passes, and what they say of the
 * service (downtime, acknowledgement, flapping: both run event handlers
 * in all three), from their macros, Nagios's environment macros and
 * Nagios's status file; and the reboots already made in a window, from
 * the restart events. Pure, table-tested (tests/unit/monitoring/
 * test_gate.c); the handler does the reading.
 */
#ifndef MON_GATE_H
#define MON_GATE_H

#include <stdbool.h>
#include <stddef.h>

#include <elasticache/elasticache.h>

#include "monitoring.h"

/* What one source says of the service. */
typedef enum mon_fact_kind {
    MON_FACT_SERVICE_DOWNTIME, /* a depth: 0 none, N overlapping downtimes */
    MON_FACT_HOST_DOWNTIME,    /* the host's depth */
    MON_FACT_ACKNOWLEDGED,     /* 0/1/2 (Icinga: none/normal/sticky),
                                  true/false */
    MON_FACT_FLAPPING          /* 0/1, true/false */
} mon_fact_kind;

typedef struct mon_fact {
    mon_fact_kind kind;
    const char *value;  /* as given; NULL or "" when the source had none */
    const char *source; /* "--downtime-depth", "NAGIOS_SERVICEDOWNTIME" */
} mon_fact;

typedef struct mon_gate_input {
    const char *state;      /* $SERVICESTATE$ */
    const char *state_type; /* $SERVICESTATETYPE$ */
    const char *attempt;    /* $SERVICEATTEMPT$ */
    long soft_attempt;      /* act on SOFT from this attempt */
    const mon_fact *facts;
    size_t nfacts;
} mon_gate_input;

typedef enum mon_gate_result {
    MON_GATE_ACT,  /* CRITICAL, HARD or late enough SOFT, nothing against */
    MON_GATE_SKIP, /* not acting, and why */
    MON_GATE_USAGE /* a value Nagios or Icinga never pass: a usage error */
} mon_gate_result;

/*
 * Decide. Every value is checked first: a state that is not OK, WARNING,
 * CRITICAL, UNKNOWN (or 0-3), a state type that is not SOFT or HARD, an
 * attempt or a depth that is not a number, a flag that is not 0/1/2 or
 * true/false is MON_GATE_USAGE. Then, in this order: not CRITICAL; in
 * downtime (the service's or the host's); acknowledged; flapping; SOFT
 * before soft_attempt: MON_GATE_SKIP, naming the source. `why` holds the
 * reason for SKIP and USAGE.
 */
mon_gate_result mon_gate_check(const mon_gate_input *in, char *why,
                               size_t size);

/*
 * Nagios's status.dat, read line by line: the servicestatus block of
 * (host, service) and the hoststatus block of host. Feed every line (with
 * or without its '\n'); then `found` says whether the service was there.
 */
typedef struct mon_status_scan {
    const char *host, *service;
    int block; /* 0 none, 1 servicestatus, 2 hoststatus, 3 other */
    char b_host[256], b_service[256];
    char b_downtime[32], b_ack[32], b_flapping[32];
    bool found, host_found;
    char downtime[32], ack[32], flapping[32]; /* the service's */
    char host_downtime[32];
} mon_status_scan;

void mon_status_scan_init(mon_status_scan *s, const char *host,
                          const char *service);
void mon_status_scan_line(mon_status_scan *s, const char *line);

/*
 * The "Cache node NNNN restarted" events of `cluster_id` at or after
 * `since` among `events`: node restarts, whoever caused them (the rule
 * the library's safe reboot reads them by).
 */
size_t mon_count_restarts(const ec_event *const *events, size_t n,
                          const char *cluster_id, ec_time since);

/*
 * An external command line for Nagios or Icinga 2's command file, "[T]
 * COMMAND;host;service;...;text\n": ADD_SVC_COMMENT (not persistent,
 * author "elasticache_event_handler") or, with `passive_state` >= 0,
 * PROCESS_SERVICE_CHECK_RESULT for that state. The text is made one safe
 * line; a host or service name holding ';' or a control character is
 * refused (-1), as is a line that would not fit `size` or PIPE_BUF (a
 * larger write to a FIFO is not atomic). Returns the length.
 */
int mon_extcmd_format(char *buf, size_t size, long long now, const char *host,
                      const char *service, int passive_state, const char *text);

#endif
