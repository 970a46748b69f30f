/*
 * Progress display for the CLI's waits and rolling reboots: the cluster
 * (or group) status, the elapsed time, for a run of several steps the step
 * under way and its state, and one line per watched node, redrawn in place
 * on stderr. Each step that ends stays on the screen as one line above
 * the drawing, so the finished steps read as a log. Only used when stderr
 * is a terminal.
 */
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "progress.h"

static const char *phase_text(ec_progress_phase phase)
{
    switch (phase) {
    case EC_PROGRESS_DESCRIBED:
        return "described";
    case EC_PROGRESS_REBOOT_SENT:
        return "reboot sent";
    case EC_PROGRESS_WAITING:
        return "waiting";
    case EC_PROGRESS_DONE:
        return "done";
    case EC_PROGRESS_STEP:
        return "step";
    }
    return "";
}

static bool watched(const ec_strlist *ids, const char *id)
{
    if (!ids || ids->count == 0)
        return true;
    for (size_t i = 0; i < ids->count; i++)
        if (id && strcmp(ids->items[i], id) == 0)
            return true;
    return false;
}

/* Terminal width, so that no line wraps (a wrapped line would break the
 * cursor-up redraw). */
static size_t columns(FILE *out)
{
    struct winsize ws;

    if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10)
        return ws.ws_col;
    return 80;
}

/* One line, cleared first and cut to the terminal width. */
static void put_line(FILE *out, size_t width, const char *text)
{
    fprintf(out, "\r\033[K%.*s\n", (int)(width - 1), text);
}

/* A step that ended (its state is final): true. */
static bool step_ended(const ec_progress *p)
{
    return p->phase == EC_PROGRESS_STEP && p->step &&
           p->step->state != EC_STEP_RUNNING &&
           p->step->state != EC_STEP_PLANNED;
}

void cli_progress_draw(void *userdata, const ec_progress *p)
{
    cli_progress *st = userdata;
    const ec_cache_cluster *c = p->cluster;
    const ec_replication_group *g = p->group;
    size_t lines = 0, width = columns(st->out);
    char line[512];

    /* The last drawing stays; it may wrap. */
    if (p->phase == EC_PROGRESS_DONE)
        width = sizeof(line);

    /* Back to the first line of the previous drawing. */
    if (st->lines > 0)
        fprintf(st->out, "\r\033[%zuA", st->lines);
    if (step_ended(p)) {
        /* A finished step: one line that stays, then the drawing below. */
        snprintf(line, sizeof(line), "[%4.0fs] %s", p->elapsed,
                 p->message ? p->message : "");
        fprintf(st->out, "\r\033[K%s\n", line);
    }
    if (g && !c)
        snprintf(line, sizeof(line), "%s: %s [%4.0fs] %s%s%s", st->cluster_id,
                 g->status ? g->status : "?", p->elapsed, phase_text(p->phase),
                 p->message ? ": " : "", p->message ? p->message : "");
    else
        snprintf(line, sizeof(line), "%s: %s [%4.0fs] %s%s%s",
                 c && c->cache_cluster_id ? c->cache_cluster_id
                                          : st->cluster_id,
                 c && c->cache_cluster_status ? c->cache_cluster_status : "?",
                 p->elapsed, phase_text(p->phase), p->message ? ": " : "",
                 p->message ? p->message : "");
    put_line(st->out, width, line);
    lines++;
    if (p->step && p->step_count > 1 && p->phase != EC_PROGRESS_DONE) {
        snprintf(line, sizeof(line), "  step %zu/%zu %-8s %s %s",
                 p->step_number, p->step_count,
                 ec_reboot_step_state_name(p->step->state),
                 ec_reboot_step_action_name(p->step->action),
                 p->step->cache_cluster_id       ? p->step->cache_cluster_id
                 : p->step->replication_group_id ? p->step->replication_group_id
                                                 : "");
        put_line(st->out, width, line);
        lines++;
    }
    if (c) {
        for (size_t i = 0; i < c->cache_nodes.count; i++) {
            const ec_cache_node *n = c->cache_nodes.items[i];
            if (!watched(p->watched_node_ids, n->cache_node_id))
                continue;
            snprintf(line, sizeof(line), "  node %s  %-10s %s",
                     n->cache_node_id ? n->cache_node_id : "?",
                     n->cache_node_status ? n->cache_node_status : "?",
                     n->parameter_group_status ? n->parameter_group_status
                                               : "");
            put_line(st->out, width, line);
            lines++;
        }
    }
    /* A shorter drawing than the last one: clear what is left below. */
    for (size_t i = lines; i < st->lines; i++)
        fputs("\r\033[K\n", st->out);
    if (st->lines > lines)
        fprintf(st->out, "\033[%zuA", st->lines - lines);
    st->lines = p->phase == EC_PROGRESS_DONE ? 0 : lines;
    fflush(st->out);
}

void cli_progress_log(void *userdata, const ec_progress *p)
{
    cli_progress *st = userdata;
    char line[640];

    if (p->phase != EC_PROGRESS_STEP || !p->message)
        return;
    /* The message quotes what the service said (states, errors): one line,
     * no control character reaches the log. */
    snprintf(line, sizeof(line), "%s", p->message);
    for (char *c = line; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = ' ';
    fprintf(st->out, "elasticache: %s: %s\n", st->cluster_id, line);
    fflush(st->out);
}

void cli_progress_attach(cli_progress *st, const char *id, bool draw,
                         ec_progress_fn *fn, void **userdata)
{
    memset(st, 0, sizeof(*st));
    st->out = stderr;
    st->cluster_id = id;
    *fn = draw && isatty(STDERR_FILENO) ? cli_progress_draw : cli_progress_log;
    *userdata = st;
}
