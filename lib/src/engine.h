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
 * How the operations of issue 10 slot in (none is built yet):
 * - Rolling reboot of one cluster (`batch_size` N): a new op row whose
 *   plan is cut into batches; its REBOOT phase sends the current batch,
 *   and its after_wait hook (engine.c's op table: what follows a BACK wait
 *   that ended well) moves to the next batch (phase ECP_PH_REBOOT again)
 *   or to done; send_reboot's one-reboot guard becomes one per batch. The
 *   first failure ends the run with the batches done so far in the
 *   outcome. A re-run plans
 *   with unless_rebooted_since = the first run's start, which the PLAN
 *   phases already honour. The safety contract becomes "each node at most
 *   once per run, one reboot action per batch, none after a lost answer
 *   that was not confirmed".
 * - Replication groups: new phases GROUP_DESCRIBE (action
 *   ECP_ACT_DESCRIBE_GROUP, observation ECP_OBS_GROUP), MODIFY_GROUP
 *   (ECP_ACT_MODIFY_GROUP for PrimaryClusterId / failover settings,
 *   ECP_OBS_MODIFIED) and PROBE_LINK (ECP_ACT_PROBE_NODE, INFO replication,
 *   ECP_OBS_PROBED), and an op row that orders them: replicas one at a
 *   time (REBOOT + WAIT_BACK + PROBE_LINK each), the primary moved, the
 *   settings restored, the old primary last. The driver gains one case per
 *   new action kind; the step function stays pure.
 * The action and observation kinds for those are declared below so that
 * the state machine's vocabulary is complete; no operation emits them yet,
 * and the driver answers one with EC_ERR_INTERNAL.
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
    /* Declared for the operations of issue 10; nothing emits them yet. */
    ECP_ACT_DESCRIBE_GROUP, /* DescribeReplicationGroups */
    ECP_ACT_MODIFY_GROUP,   /* ModifyReplicationGroup */
    ECP_ACT_PROBE_NODE      /* probe a node (PING, INFO replication) */
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
} ecp_action;

/* What the driver saw. Everything is borrowed for the step. */
typedef enum ecp_obs_kind {
    ECP_OBS_START,    /* the run begins */
    ECP_OBS_CLUSTERS, /* the answer to DESCRIBE_CLUSTER */
    ECP_OBS_EVENTS,   /* the answer to READ_EVENTS */
    ECP_OBS_REBOOTED, /* the answer to REBOOT_NODES */
    ECP_OBS_SLEPT,    /* a SLEEP ended */
    ECP_OBS_REPORTED, /* a REPORT was made */
    /* For the actions declared for issue 10. */
    ECP_OBS_GROUP,
    ECP_OBS_MODIFIED,
    ECP_OBS_PROBED
} ecp_obs_kind;

typedef struct ecp_obs {
    ecp_obs_kind kind;
    ec_time started;       /* the client's clock when the I/O began */
    ec_time now;           /* ... and when it ended */
    const ec_error *error; /* NULL or code EC_OK: the call succeeded */
    const ec_cache_cluster_list *clusters; /* CLUSTERS */
    const ec_event_list *events;           /* EVENTS */
    const ec_cache_cluster *cluster; /* REBOOTED: the answer's, may be NULL */
    const char *request_id;          /* REBOOTED */
} ecp_obs;

typedef enum ecp_op {
    ECP_OP_REBOOT,         /* ec_reboot */
    ECP_OP_WAIT_AVAILABLE, /* ec_wait_cache_cluster_available */
    ECP_OP_WAIT_REBOOT     /* ec_wait_reboot_complete */
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
} ecp_params;

/* How a run ended, for ec_reboot's result and the waiters' return. */
typedef struct ecp_outcome {
    int rc;         /* 0 or -1 */
    ec_error error; /* when rc is -1 */
    ec_reboot_decision decision;
    bool changed;
    ec_strlist rebooted; /* nodes rebooted (check mode: would be) */
    char message[256];
    char *request_id; /* of the RebootCacheCluster answer */
    bool before_set;  /* `before` holds the first cluster read */
    ec_cluster_status before;
} ecp_outcome;

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

    /* Actions queued by one step: reports first, then at most one
     * other action. */
    ecp_action queue[4];
    unsigned queued, next;
    char notes[2][512];
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

#endif
