/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reboot engine: every reboot and wait of the library as one pure state
 * machine (ecp_engine_step) and one driver loop that does its I/O
 * (ecp_engine_run). Sans-I/O, as nghttp2's sessions and curl's multi state
 * machine: the step function is given the operation's state and the latest
 * observation (a describe answer, an events page, a reboot answer or error,
 * the clock) and says the next action (describe, read events, reboot these
 * nodes, sleep, report progress, done). It never touches the network, the
 * clock or the caller's callbacks, so every safety case is a script of
 * observations replayed in-process (tests/data/engine, tests/unit/engine).
 *
 * Shape
 * -----
 * An operation (ecp_op: the safe reboot, AWS's cache-cluster-available
 * waiter, the reboot-completion waiter) is one row of the operation table
 * in engine.c: its name, the phase it starts in and what it does when a
 * shared phase finishes. A phase (ecp_phase, curl's CURLMstate) is one row
 * of the phase table: the observation it waits for and the handler that
 * turns it into the next phase and actions. Phases are shared between
 * operations: the reboot's "wait until the rebooted nodes are back" is the
 * reboot-completion waiter's poll, not a copy of it.
 *
 * The operations of issue 10:
 * - Rolling reboot of one cluster (`batch_size` N) is the safe reboot's
 *   own op row: its plan is cut into batches (one batch when N is 0, the
 *   AWS CLI's all-at-once meaning), REBOOT sends the current batch, the
 *   BACK wait and the PROBE phase follow, and its after_wait hook moves
 *   to the next batch or to done. The safety contract (engine_oracle.h):
 *   each node at most once per run, one reboot action per batch, a batch
 *   only after the one before was seen restarting and available, none
 *   after a lost answer that was not confirmed.
 * - The safe reboot also checks the role of a cluster that belongs to a
 *   replication group (PLAN_GROUP: DescribeReplicationGroups) and refuses
 *   a primary unless allow_primary_reboot.
 * - Replication groups (engine_group.c, op ECP_OP_GROUP): G_DESCRIBE and
 *   G_MEMBER_PLAN read the group and its members, the plan is a list of
 *   steps (replicas one at a time, then, for the primary, failover off,
 *   PrimaryClusterId, failover restored, the old primary's reboot), and
 *   each step runs as G_CHECK (the group again: roles unchanged), then
 *   for a reboot G_MEMBER and the shared REBOOT, CONFIRM, BACK and PROBE
 *   phases, for a modification G_MODIFY and G_MODIFY_WAIT. A failure
 *   after failover was switched off runs the restore before the run ends.
 * Everything the step function needs from the outside comes in an
 * observation; the driver (engine_run.c) has one case per action kind.
 */
#ifndef ECP_ENGINE_H
#define ECP_ENGINE_H

#include <stdbool.h>

#include "waiter.h"

/* Without `wait`, and always as an upper bound, how long a lost
 * RebootCacheCluster answer is confirmed by describing: the service shows
 * an accepted reboot within seconds, so a minute without any sign means
 * the call was not processed. */
#define ECP_CONFIRM_WINDOW 60.0
/* The longest pause between two confirming describes. */
#define ECP_CONFIRM_DELAY_MAX 5.0
#define ECP_DEFAULT_BUDGET 900.0
#define ECP_DEFAULT_DELAY 15.0
#define ECP_DEFAULT_MAX_ATTEMPTS 40

/* What the engine asks the driver to do. */
typedef enum ecp_action_kind {
    ECP_ACT_DESCRIBE_CLUSTER, /* one page of DescribeCacheClusters */
    ECP_ACT_READ_EVENTS,      /* every page of DescribeEvents since T */
    ECP_ACT_REBOOT_NODES,     /* RebootCacheCluster, sent once */
    ECP_ACT_SLEEP,            /* the client's sleep */
    ECP_ACT_REPORT,           /* the caller's progress callback */
    ECP_ACT_DONE,             /* finished: ecp_engine.outcome */
    ECP_ACT_DESCRIBE_GROUP,   /* one DescribeReplicationGroups of group_id */
    ECP_ACT_MODIFY_GROUP,     /* ModifyReplicationGroup, sent once */
    ECP_ACT_PROBE_NODE        /* the caller's probe hook on one node */
} ecp_action_kind;

typedef struct ecp_action {
    ecp_action_kind kind;
    /* Borrowed from the engine; valid until the next step. */
    const char *cluster_id;  /* DESCRIBE (NULL: every cluster), EVENTS,
                                REBOOT */
    bool show_nodes;         /* DESCRIBE: ShowCacheNodeInfo */
    ec_time since;           /* EVENTS: StartTime */
    const ec_strlist *nodes; /* REBOOT: CacheNodeIdsToReboot */
    double seconds;          /* SLEEP */
    /* DESCRIBE, EVENTS, REBOOT: seconds the call may take, retries
     * included (the operation's budget left); 0: no bound. */
    double call_timeout;
    /* REPORT: what to tell the caller (message borrowed). */
    ec_progress_phase phase;
    const char *message;
    const ec_strlist *watched;
    bool has_step; /* REPORT: `step` indexes the outcome's steps */
    size_t step;
    /* DESCRIBE_GROUP, MODIFY_GROUP, PROBE_NODE */
    const char *group_id;
    /* MODIFY_GROUP: PrimaryClusterId (NULL: not sent), the flags (unset:
     * not sent); ApplyImmediately is always sent true. */
    const char *primary_cluster_id;
    ec_opt_bool automatic_failover;
    ec_opt_bool multi_az;
    /* PROBE_NODE (cluster_id above): what the hook is given. */
    ec_node_check check;
    const char *node_id;
    const char *engine;
    const char *address;
    int port;
    const char *primary_id;
    const char *primary_address;
    int primary_port;
} ecp_action;

/* What the driver saw. Everything is borrowed for the step. */
typedef enum ecp_obs_kind {
    ECP_OBS_START,    /* the run begins */
    ECP_OBS_CLUSTERS, /* the answer to DESCRIBE_CLUSTER */
    ECP_OBS_EVENTS,   /* the answer to READ_EVENTS */
    ECP_OBS_REBOOTED, /* the answer to REBOOT_NODES */
    ECP_OBS_SLEPT,    /* a SLEEP ended */
    ECP_OBS_REPORTED, /* a REPORT was made */
    ECP_OBS_GROUP,    /* the answer to DESCRIBE_GROUP */
    ECP_OBS_MODIFIED, /* the answer to MODIFY_GROUP */
    ECP_OBS_PROBED    /* what the probe hook said */
} ecp_obs_kind;

typedef struct ecp_obs {
    ecp_obs_kind kind;
    ec_time started;       /* the client's clock when the I/O began */
    ec_time now;           /* ... and when it ended */
    const ec_error *error; /* NULL or code EC_OK: the call succeeded */
    const ec_cache_cluster_list *clusters; /* CLUSTERS */
    const ec_event_list *events;           /* EVENTS */
    const ec_cache_cluster *cluster; /* REBOOTED: the answer's, may be NULL */
    const char *request_id;          /* REBOOTED, MODIFIED */
    const ec_replication_group_list *groups; /* GROUP */
    const ec_replication_group *group;       /* MODIFIED: the answer's, may be
                                                NULL */
    bool probe_ok;                           /* PROBED */
    const char *detail;                      /* PROBED: what the hook wrote */
} ecp_obs;

typedef enum ecp_op {
    ECP_OP_REBOOT,         /* ec_reboot */
    ECP_OP_WAIT_AVAILABLE, /* ec_wait_cache_cluster_available */
    ECP_OP_WAIT_REBOOT,    /* ec_wait_reboot_complete */
    ECP_OP_GROUP           /* ec_reboot_replication_group */
} ecp_op;

/* The phases (curl's CURLMstate): where an operation is. */
typedef enum ecp_phase {
    ECP_PH_START,
    ECP_PH_PLAN,           /* describe the cluster to plan */
    ECP_PH_PLAN_EVENTS,    /* read restart events for the plan */
    ECP_PH_BUSY_SLEEP,     /* busy with wait: sleeping before planning again */
    ECP_PH_REBOOT,         /* RebootCacheCluster is out */
    ECP_PH_RACE,           /* InvalidCacheClusterState: describing why */
    ECP_PH_CONFIRM,        /* lost answer: describing for evidence */
    ECP_PH_CONFIRM_EVENTS, /* lost answer: reading restart events */
    ECP_PH_CONFIRM_SLEEP,
    ECP_PH_BACK,        /* waiting for watched nodes: describing */
    ECP_PH_BACK_EVENTS, /* waiting: reading restart events */
    ECP_PH_BACK_SLEEP,
    ECP_PH_AVAILABLE, /* AWS's waiter: describing */
    ECP_PH_AVAILABLE_SLEEP,
    ECP_PH_DONE,
    ECP_PH_PLAN_GROUP,  /* the cluster's group: is it the primary? */
    ECP_PH_PROBE,       /* the probe hook on each node of a reboot */
    ECP_PH_PROBE_SLEEP, /* some did not pass: sleeping before again */
    /* Replication groups (engine_group.c) */
    ECP_PH_G_DESCRIBE,     /* the group, to plan */
    ECP_PH_G_BUSY_SLEEP,   /* not available: sleeping before planning */
    ECP_PH_G_MEMBER_PLAN,  /* one member cluster, to plan */
    ECP_PH_G_PLAN_EVENTS,  /* restart events of every cluster */
    ECP_PH_G_CHECK,        /* the group before a step */
    ECP_PH_G_CHECK_SLEEP,  /* not settled: sleeping */
    ECP_PH_G_MEMBER,       /* the member cluster before its reboot */
    ECP_PH_G_MEMBER_SLEEP, /* not available: sleeping */
    ECP_PH_G_MODIFY,       /* ModifyReplicationGroup is out */
    ECP_PH_G_MODIFY_WAIT,  /* describing until it took effect */
    ECP_PH_G_MODIFY_SLEEP,
    ECP_PH_COUNT
} ecp_phase;

/* What the caller asks for: the options of one operation, imported. */
typedef struct ecp_params {
    ecp_op op;
    const char *cluster_id; /* borrowed for the engine's life; NULL: every
                               cluster (WAIT_AVAILABLE only) */
    double delay;           /* seconds between polls; 0: 15 */
    double budget;          /* seconds the whole run may take; 0: 900 */
    /* REBOOT */
    const ec_reboot_policy *policy; /* imported; NULL: every node */
    bool check_mode;
    bool wait;
    /* WAIT_AVAILABLE */
    int max_attempts; /* 0: 40 */
    /* WAIT_REBOOT */
    const ec_strlist *watch; /* nodes to watch (NULL: none) */
    ec_time since;
    /* REBOOT, GROUP */
    unsigned batch_size;       /* REBOOT: nodes per call; 0: all at once */
    bool allow_primary_reboot; /* see ec_reboot_options */
    bool probe;                /* PROBE_NODE actions (the caller has a hook) */
    /* GROUP (policy: only_if_pending, unless_rebooted_since; its node ids
     * are not used) */
    const char *group_id;      /* borrowed, validated, lowercase */
    const ec_strlist *members; /* NULL: every member; set and empty: none */
    bool replicas_only;
    /* Seconds a probe round with a REPLICA_LINK check may go on failing
     * before the run fails closed; 0: only the budget bounds it. */
    double link_timeout;
} ecp_params;

/* How a run ended, for ec_reboot's result and the waiters' return. */
typedef struct ecp_outcome {
    int rc;         /* 0 or -1 */
    ec_error error; /* when rc is -1 */
    ec_reboot_decision decision;
    bool changed;
    ec_strlist rebooted; /* nodes rebooted (check mode: would be); GROUP:
                            member clusters */
    char message[512];
    char *request_id; /* of the (first) RebootCacheCluster answer; GROUP:
                         of the last call answered */
    bool before_set;  /* `before` holds the first cluster read */
    ec_cluster_status before;
    ec_reboot_step_list steps;
    /* GROUP */
    ec_replication_group *group_before; /* the first read */
    char *primary_before;
} ecp_outcome;

/* One node for the probe hook (owned strings). */
typedef struct ecp_probe_item {
    char *cluster_id, *node_id, *engine, *address;
    int port;
    ec_node_check check;
    char *primary_id, *primary_address;
    int primary_port;
    bool ok;
    char detail[128];
} ecp_probe_item;

/* What follows a probe round that passed. */
typedef enum ecp_probe_then {
    ECP_PROBE_THEN_AFTER_WAIT, /* the op's after-wait (next batch/step) */
    ECP_PROBE_THEN_MODIFY      /* GROUP: the primary move's call */
} ecp_probe_then;

/* One member of a group, as planned. */
typedef struct ecp_member {
    char *id;                  /* the member's cache cluster id */
    bool primary;              /* its role when the plan was made */
    ec_cache_cluster *cluster; /* as described for the plan */
    ec_reboot_plan plan;       /* the policy on it */
    bool selected;             /* the caller's list names it (or no list) */
} ecp_member;

/* GROUP: which modification is out or waited for. */
typedef enum ecp_gstage {
    ECP_G_NONE,
    ECP_G_DISABLE,
    ECP_G_MOVE,
    ECP_G_RESTORE
} ecp_gstage;

/* The state of one run. Zeroed by ecp_engine_init, cleared by
 * ecp_engine_clear; nothing in it is shared with another run. */
typedef struct ecp_engine {
    ecp_params p;
    ecp_phase phase;
    bool started; /* the START observation was seen */
    ec_time t0;   /* the clock at START */
    ec_time now;  /* the latest observation's clock */
    double delay;
    double budget;
    int attempts; /* WAIT_AVAILABLE: describes made */

    ec_cache_cluster *cluster; /* the latest one read (owned), or NULL */
    ec_reboot_plan plan;
    bool planned_once;

    /* REBOOT */
    int reboots_sent; /* RebootCacheCluster actions emitted (0 or 1) */
    bool lost_answer; /* the answer to it was lost */
    ec_time call_time;
    ec_error call_error;    /* the lost answer's error */
    ec_error confirm_error; /* the last confirming call's failure */
    ec_time confirm_start;
    bool already;  /* waiting for someone else's reboot */
    char why[256]; /* why already rebooting, or why busy (check mode) */

    /* BACK (reboot-completion): the watched nodes, which of them were
     * seen restarting, whether any reboot of the cluster was seen. */
    ec_strlist watched;
    bool *restarted;
    bool evidence;
    ec_time back_since;

    /* The reboot under way (shared phases): its cluster (borrowed:
     * p.cluster_id or a member's id) and nodes. */
    const char *cid;
    ec_strlist batch;
    size_t batch_next; /* REBOOT: index in plan.node_ids of the next batch */
    bool last_reboot;  /* the reboot under way is the run's last */
    /* Steps: the one under way (index into outcome.steps), and whether
     * its RebootCacheCluster went out (one per step). */
    size_t step_i;
    ec_time step_t0;
    bool step_sent;

    /* PROBE */
    ecp_probe_item *probes;
    size_t probe_count, probe_i;
    ecp_probe_then probe_then;
    ec_time probe_t0; /* the clock when the round of probes began */

    /* GROUP */
    ec_replication_group *group; /* the latest one read (owned) */
    ecp_member *members;
    size_t member_count, plan_i;
    char *primary;        /* the primary the run expects */
    char *target;         /* the member the primary moves to */
    bool af_was, maz_was; /* the settings before the run */
    bool settings_off;    /* a disable was sent and not proven refused */
    bool restoring;       /* the restore after a failure is under way */
    bool saved_set;       /* the failure the restore runs for */
    ec_error saved_error;
    char saved_message[512];
    ecp_gstage gstage;
    bool glost; /* the modification's answer was lost, not yet confirmed */
    ec_time gcall_time;
    ec_error gcall_error;
    bool busy_predicted; /* check mode: planned as if available */

    /* Actions queued by one step: reports first, then at most one
     * other action. */
    ecp_action queue[6];
    unsigned queued, next;
    char notes[4][512];
    unsigned note_count;

    ecp_outcome outcome;
} ecp_engine;

/*
 * Set up a run of `params` (copied; what it points to is borrowed until
 * ecp_engine_clear). Nothing is checked here that the public functions do
 * not check first; -1 only when memory runs out.
 */
int ecp_engine_init(ecp_engine *e, const ecp_params *params, ec_error *err);

/*
 * The step function: take `obs` (the answer to the last action, or
 * ECP_OBS_START first) and write the next action to *act. Pure: no I/O, no
 * clock but obs->now, no callback. Returns -1 only for EC_ERR_NOMEM, or
 * EC_ERR_INTERNAL when the observation does not answer the last action;
 * the operation's own failures are an ECP_ACT_DONE whose outcome says
 * them. After DONE, every further step is DONE again.
 */
int ecp_engine_step(ecp_engine *e, const ecp_obs *obs, ecp_action *act,
                    ec_error *err);

void ecp_engine_clear(ecp_engine *e);

/* The parameters the public functions run the engine with, from their
 * options (already imported: `o->policy` points to an imported policy or
 * is NULL). For ec_reboot, ec_wait_cache_cluster_available and
 * ec_wait_reboot_complete, and for tests that replay them. */
void ecp_reboot_params_from(const ec_reboot_options *o, const char *id,
                            ecp_params *out);
void ecp_wait_available_params(const char *cluster_id,
                               const ec_wait_options *opt, ecp_params *out);
void ecp_wait_reboot_params(const char *cluster_id, const ec_strlist *node_ids,
                            ec_time since, const ec_wait_options *opt,
                            ecp_params *out);
/* For ec_reboot_replication_group: `o` imported, `group_id` validated,
 * `policy` and `members` filled from it (they stay the caller's to free). */
void ecp_group_params_from(const ec_group_reboot_options *o,
                           const char *group_id, ec_reboot_policy *policy,
                           const ec_strlist *members, ecp_params *out);

/* Free a step list's steps and zero it. */
void ecp_reboot_steps_clear(ec_reboot_step_list *steps);

/* Stable names, for traces and tests ("describe", "reboot", ...). */
const char *ecp_action_kind_name(ecp_action_kind kind);
const char *ecp_phase_name(ecp_phase phase);

/*
 * The one driver loop: run the engine through the client (its clock, its
 * sleep, one call per action, each bounded by the action's call_timeout)
 * until DONE, calling `progress` for REPORT actions. Returns the outcome's
 * rc; on -1 *err holds the outcome's error (or EC_ERR_NOMEM).
 */
int ecp_engine_run(ecp_engine *e, ec_client *client, ec_progress_fn progress,
                   void *progress_userdata, ec_error *err);
/* The same with the caller's probe hook for PROBE_NODE actions (NULL:
 * every probe passes; the engine emits none unless params.probe). */
int ecp_engine_run_probed(ecp_engine *e, ec_client *client,
                          ec_progress_fn progress, void *progress_userdata,
                          ec_node_probe_fn probe, void *probe_userdata,
                          ec_error *err);

#endif
