/* The public JMESPath API: compile once, search many times. */
#include "jp.h"

#include <stdlib.h>
#include <string.h>

#include "../abi.h"
#include "util.h"

static ec_errcode errcode(ecp_jp_kind kind)
{
    switch (kind) {
    case JK_SYNTAX:
        return EC_ERR_JMESPATH_SYNTAX;
    case JK_INVALID_TYPE:
        return EC_ERR_JMESPATH_INVALID_TYPE;
    case JK_INVALID_VALUE:
        return EC_ERR_JMESPATH_INVALID_VALUE;
    case JK_INVALID_ARITY:
        return EC_ERR_JMESPATH_INVALID_ARITY;
    case JK_UNKNOWN_FUNCTION:
        return EC_ERR_JMESPATH_UNKNOWN_FUNCTION;
    case JK_LIMIT:
        return EC_ERR_JMESPATH_LIMIT;
    case JK_NOMEM:
        return EC_ERR_NOMEM;
    default:
        return EC_ERR_INTERNAL;
    }
}

/* Hand an error to the caller's ec_error: the message as Python's
 * exception prints it, cut at a character boundary with "..." when it
 * does not fit. */
static void report(const ecp_jp_error *e, ec_error *err)
{
    const size_t room = EC_ERROR_TEXT_LENGTH - 1;
    const char *msg = e->msg.data ? e->msg.data : "";
    size_t len = e->msg.len;

    if (e->kind == JK_NOMEM || !e->msg.data) {
        ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        return;
    }
    if (len > room) {
        size_t cut = room - 3;

        while (cut > 0 && ((unsigned char)msg[cut] & 0xC0) == 0x80)
            cut--;
        ecp_error_set(err, errcode(e->kind), "%.*s...", (int)cut, msg);
        return;
    }
    ecp_error_set(err, errcode(e->kind), "%.*s", (int)len, msg);
}

/* Members of a caller's versioned struct that its struct_size covers. */
#define HAS_MEMBER(p, type, member)                                            \
    ((p)->struct_size >= offsetof(type, member) + sizeof((p)->member))

static void collect_exprefs(const ecp_jp_node *n, const ecp_jp_node **out,
                            size_t *count)
{
    size_t i;

    if (n->type == JN_EXPREF) {
        if (out)
            out[*count] = n;
        (*count)++;
    }
    for (i = 0; i < n->nkids; i++)
        collect_exprefs(n->kids[i], out, count);
}

static int by_token(const void *a, const void *b)
{
    const json_t *x = (*(const ecp_jp_node *const *)a)->value;
    const json_t *y = (*(const ecp_jp_node *const *)b)->value;

    return x < y ? -1 : x > y ? 1 : 0;
}

/* The whole message of a failure for the *_message calls. */
static void hand_message(const ecp_jp_error *e, char **message)
{
    if (!message)
        return;
    *message = NULL;
    if (e->kind == JK_NOMEM || !e->msg.data)
        return;
    *message = malloc(e->msg.len + 1);
    if (*message) {
        memcpy(*message, e->msg.data, e->msg.len);
        (*message)[e->msg.len] = '\0';
    }
}

ec_jmespath *ec_jmespath_compile(const char *expression,
                                 const ec_jmespath_options *options,
                                 ec_jmespath_diag *diag, ec_error *err)
{
    return ec_jmespath_compile_message(expression, options, diag, NULL, err);
}

ec_jmespath *ec_jmespath_compile_message(const char *expression,
                                         const ec_jmespath_options *options,
                                         ec_jmespath_diag *diag, char **message,
                                         ec_error *err)
{
    ec_jmespath_options opt = EC_JMESPATH_OPTIONS_INIT;
    ecp_jp_error e = {JK_NONE, SIZE_MAX, SIZE_MAX, {0}};
    ec_jmespath *jp = NULL;
    size_t i, len;

    if (message)
        *message = NULL;
    if (diag && HAS_MEMBER(diag, ec_jmespath_diag, column)) {
        diag->offset = SIZE_MAX;
        diag->column = SIZE_MAX;
    }
    if (!expression) {
        ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                      "no JMESPath expression given");
        return NULL;
    }
    if (ecp_struct_import(&ecp_info_jmespath_options, &opt, options, err) != 0)
        return NULL;
    len = strlen(expression);
    jp = calloc(1, sizeof(*jp));
    if (!jp || !(jp->expression = malloc(len + 1))) {
        free(jp);
        ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    memcpy(jp->expression, expression, len + 1);
    jp->max_depth = opt.max_depth
                        ? (int)(opt.max_depth > 100000 ? 100000 : opt.max_depth)
                        : ECP_JP_DEFAULT_MAX_DEPTH;
    jp->max_steps = opt.max_steps ? opt.max_steps : ECP_JP_DEFAULT_MAX_STEPS;
    jp->root = ecp_jp_parse(jp->expression, len, jp->max_depth, &e);
    if (!jp->root)
        goto fail;
    collect_exprefs(jp->root, NULL, &jp->nexprefs);
    if (jp->nexprefs) {
        jp->expref_nodes = malloc(jp->nexprefs * sizeof(*jp->expref_nodes));
        jp->exprefs = malloc(jp->nexprefs * sizeof(*jp->exprefs));
        if (!jp->expref_nodes || !jp->exprefs) {
            ecp_jp_nomem(&e);
            goto fail;
        }
        i = 0;
        collect_exprefs(jp->root, jp->expref_nodes, &i);
        qsort(jp->expref_nodes, jp->nexprefs, sizeof(*jp->expref_nodes),
              by_token);
        for (i = 0; i < jp->nexprefs; i++)
            jp->exprefs[i] = jp->expref_nodes[i]->value;
    }
    return jp;
fail:
    if (e.kind == JK_NONE)
        ecp_jp_nomem(&e);
    if (diag && HAS_MEMBER(diag, ec_jmespath_diag, column) &&
        e.kind != JK_NOMEM) {
        diag->offset = e.offset;
        diag->column = e.column;
    }
    report(&e, err);
    hand_message(&e, message);
    ecp_pyout_free(&e.msg);
    ec_jmespath_free(jp);
    return NULL;
}

/* The result must be JSON (no expression reference in it) of a size the
 * caller can print: the walk counts every value as often as it will be
 * written out, against the same budget. */
static bool check_result(ecp_jp_ctx *c, const json_t *v, int depth)
{
    json_t *el;
    size_t i;
    void *it;

    if (depth > ECP_JP_MAX_DATA_DEPTH) {
        ecp_jp_fail(&c->err, JK_LIMIT,
                    "JMESPath result nests deeper than %d levels",
                    ECP_JP_MAX_DATA_DEPTH);
        return false;
    }
    if (!ecp_jp_charge(c, 1))
        return false;
    switch (ecp_jp_type(c, v)) {
    case PT_EXPREF:
        /* What json.dumps says when the AWS CLI prints such a result. */
        ecp_jp_fail(&c->err, JK_INVALID_TYPE,
                    "Object of type _Expression is not JSON serializable");
        return false;
    case PT_LIST:
        json_array_foreach(v, i, el)
        {
            if (!check_result(c, el, depth + 1))
                return false;
        }
        return true;
    case PT_DICT:
        for (it = json_object_iter((json_t *)v); it;
             it = json_object_iter_next((json_t *)v, it))
            if (!check_result(c, json_object_iter_value(it), depth + 1))
                return false;
        return true;
    default:
        return true;
    }
}

json_t *ec_jmespath_search(const ec_jmespath *jp, json_t *data, ec_error *err)
{
    return ec_jmespath_search_message(jp, data, NULL, err);
}

json_t *ec_jmespath_search_message(const ec_jmespath *jp, json_t *data,
                                   char **message, ec_error *err)
{
    ecp_jp_ctx c;
    json_t *out;

    if (message)
        *message = NULL;
    if (!jp || !data) {
        ecp_error_set(err, EC_ERR_INVALID_ARGUMENT,
                      "ec_jmespath_search needs an expression and data");
        return NULL;
    }
    memset(&c, 0, sizeof(c));
    c.jp = jp;
    c.steps_left = jp->max_steps;
    c.err.offset = SIZE_MAX;
    c.err.column = SIZE_MAX;
    out = ecp_jp_eval(&c, jp->root, data);
    if (out && !check_result(&c, out, 0)) {
        json_decref(out);
        out = NULL;
    }
    if (!out) {
        if (c.err.kind == JK_NONE)
            ecp_jp_nomem(&c.err);
        report(&c.err, err);
        hand_message(&c.err, message);
    }
    ecp_pyout_free(&c.err.msg);
    return out;
}

void ec_jmespath_free(ec_jmespath *jp)
{
    if (!jp)
        return;
    ecp_jp_node_free(jp->root);
    free(jp->expref_nodes);
    free(jp->exprefs);
    free(jp->expression);
    free(jp);
}
