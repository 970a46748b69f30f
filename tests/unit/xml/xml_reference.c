/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The response parser as it was before it streamed (lib/src/xmlparse.c at
 * 2acbd7f, unchanged but for this comment and the entry point's name): a
 * libxml2 tree per response, walked by the shape tables. Kept as an
 * oracle only: the streaming parser must give the same structs, or the
 * same error, on any input (tests/unit/xml/test_xml_stream.c and
 * tests/fuzz/fuzz_xml.c check it).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/globals.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "shapes.h"
#include "xml_reference.h"

/* XML_MAX_LOOKUP_LIMIT of libxml2 2.9: the most it reads in one document
 * without XML_PARSE_HUGE. */
#define XML_LIBXML2_DEFAULT_MAX 10000000u

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
    xmlInitParser();
}

/* libxml2 reports some errors (allocation failures among them) through
 * its per-thread generic handlers, which print to stderr by default even
 * with XML_PARSE_NOERROR. The library never prints: for the duration of a
 * parse this thread's handlers are silenced, then restored as they were. */
static void silent_generic(void *ctx, const char *msg, ...)
{
    ECP_UNUSED(ctx);
    ECP_UNUSED(msg);
}

static void silent_structured(void *ctx, xmlErrorPtr error)
{
    ECP_UNUSED(ctx);
    ECP_UNUSED(error);
}

typedef struct saved_handlers {
    xmlGenericErrorFunc generic;
    void *generic_ctx;
    xmlStructuredErrorFunc structured;
    void *structured_ctx;
} saved_handlers;

static void silence(saved_handlers *s)
{
    s->generic = xmlGenericError;
    s->generic_ctx = xmlGenericErrorContext;
    s->structured = xmlStructuredError;
    s->structured_ctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(NULL, silent_generic);
    xmlSetStructuredErrorFunc(NULL, silent_structured);
}

static void restore(const saved_handlers *s)
{
    xmlSetGenericErrorFunc(s->generic_ctx, s->generic);
    xmlSetStructuredErrorFunc(s->structured_ctx, s->structured);
}

/* Read the bytes into a tree. No network, no DTD loading, no entity
 * substitution; a document carrying a DTD is refused outright (AWS never
 * sends one, and it is the door to entity expansion attacks). More than
 * `max_bytes` (the client's max_response_bytes; 0: no limit of ours) is
 * refused before parsing, and libxml2 takes no more than INT_MAX. */
static int read_doc(const char *xml, size_t len, size_t max_bytes,
                    const char *what, xmlDoc **out, ec_error *err)
{
    xmlParserCtxt *ctxt = NULL;
    xmlDoc *doc = NULL;
    const xmlError *xe;
    saved_handlers saved;
    char msg[160] = "";
    int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                  XML_PARSE_NOCDATA;
    size_t n;
    int rc = -1;

    *out = NULL;
    if (!xml || len == 0) {
        ecp_error_set(err, EC_ERR_PARSE, "empty %s response", what);
        goto out;
    }
    if (max_bytes == 0 || max_bytes > INT_MAX)
        max_bytes = INT_MAX;
    if (len > max_bytes) {
        ecp_error_set(err, EC_ERR_PARSE,
                      "%s response is too large (%zu bytes, limit %zu)", what,
                      len, max_bytes);
        goto out;
    }
    /* libxml2 refuses a document over about 10 MB without XML_PARSE_HUGE
     * ("Huge input lookup"), whatever limit the caller set: above that,
     * the caller's limit rules. HUGE lifts libxml2's size and depth limits,
     * not its entity protections, and DTDs are refused anyway (below). */
    if (len > XML_LIBXML2_DEFAULT_MAX)
        options |= XML_PARSE_HUGE;
    pthread_once(&xml_once, xml_init);
    silence(&saved);
    ctxt = xmlNewParserCtxt();
    if (ctxt)
        doc = xmlCtxtReadMemory(ctxt, xml, (int)len, NULL, "UTF-8", options);
    restore(&saved);
    if (!ctxt) {
        ecp_error_set(err, EC_ERR_NOMEM, "out of memory parsing XML");
        goto out;
    }
    if (!doc || !ctxt->wellFormed) {
        xe = xmlCtxtGetLastError(ctxt);
        if (xe && xe->message) {
            snprintf(msg, sizeof(msg), "%s", xe->message);
            n = strlen(msg);
            while (n > 0 && isspace((unsigned char)msg[n - 1]))
                msg[--n] = '\0';
        }
        ecp_error_set(err, EC_ERR_PARSE,
                      "malformed XML in %s response (line %d): %s", what,
                      xe ? xe->line : 0, msg[0] ? msg : "parse error");
        goto out;
    }
    if (doc->intSubset || doc->extSubset) {
        ecp_error_set(err, EC_ERR_PARSE,
                      "%s response carries a DTD, which is not accepted", what);
        goto out;
    }
    *out = doc;
    doc = NULL;
    rc = 0;
out:
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    return rc;
}

static bool is_named(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE &&
           strcmp((const char *)n->name, name) == 0;
}

/* First child element called `name`; botocore also uses the first one of
 * repeated structure elements. */
static xmlNode *child(const xmlNode *parent, const char *name)
{
    xmlNode *c;

    for (c = parent ? parent->children : NULL; c; c = c->next)
        if (is_named(c, name))
            return c;
    return NULL;
}

/* ElementTree's element.text: the character data before the first child
 * element (comments and processing instructions are dropped, the text
 * around them joined). Never NULL on success: an empty element is "". */
static char *element_text(const xmlNode *node)
{
    ecp_buf b = {0};
    const xmlNode *c;

    if (ecp_buf_append(&b, "", 0) != 0)
        return NULL;
    for (c = node->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE)
            break;
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
            c->content) {
            if (ecp_buf_append_str(&b, (const char *)c->content) != 0) {
                free(b.data);
                return NULL;
            }
        }
    }
    return ecp_buf_steal(&b);
}

/* Python's int(): surrounding whitespace, a sign, digits with single
 * underscores between them. */
static bool parse_int(const char *s, int64_t *out)
{
    const char *p = s, *end;
    uint64_t v = 0, limit;
    bool neg = false, digit_before = false;

    end = s + strlen(s);
    while (isspace((unsigned char)*p))
        p++;
    while (end > p && isspace((unsigned char)end[-1]))
        end--;
    if (p < end && (*p == '+' || *p == '-'))
        neg = *p++ == '-';
    if (p == end)
        return false;
    limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; p < end; p++) {
        if (*p == '_' && digit_before && p + 1 < end &&
            isdigit((unsigned char)p[1])) {
            digit_before = false;
            continue;
        }
        if (!isdigit((unsigned char)*p))
            return false;
        if (v > (limit - (uint64_t)(*p - '0')) / 10)
            return false;
        v = v * 10 + (uint64_t)(*p - '0');
        digit_before = true;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

/* Python's float() for the finite values JSON can carry: surrounding
 * whitespace, a sign, digits with single underscores between them, an
 * optional fraction and exponent. "inf", "nan" and values that overflow
 * to infinity are refused: Python would print Infinity/NaN, which no JSON
 * parser reads back (this parser is stricter, as for integers). */
static bool parse_double(const char *s, double *out)
{
    char clean[128];
    const char *p = s, *end;
    size_t n = 0, mant = 0, exp_digits = 0;
    char *stop = NULL;
    double v;

    end = s + strlen(s);
    while (isspace((unsigned char)*p))
        p++;
    while (end > p && isspace((unsigned char)end[-1]))
        end--;
    if ((size_t)(end - p) >= sizeof(clean))
        return false;
    if (p < end && (*p == '+' || *p == '-'))
        clean[n++] = *p++;
/* digit (['_'] digit)*: copies the digits, counts them in `count`. */
#define DIGITPART(count)                                                       \
    while (p < end && isdigit((unsigned char)*p)) {                            \
        clean[n++] = *p++;                                                     \
        (count)++;                                                             \
        if (p + 1 < end && *p == '_' && isdigit((unsigned char)p[1]))          \
            p++;                                                               \
    }
    DIGITPART(mant);
    if (p < end && *p == '.') {
        clean[n++] = *p++;
        DIGITPART(mant);
    }
    if (mant == 0)
        return false;
    if (p < end && (*p == 'e' || *p == 'E')) {
        clean[n++] = *p++;
        if (p < end && (*p == '+' || *p == '-'))
            clean[n++] = *p++;
        DIGITPART(exp_digits);
        if (exp_digits == 0)
            return false;
    }
#undef DIGITPART
    if (p != end)
        return false;
    clean[n] = '\0';
    v = strtod(clean, &stop);
    if (!stop || *stop || !isfinite(v))
        return false;
    *out = v;
    return true;
}

typedef struct parse_ctx {
    const char *what; /* operation name, for messages */
    ec_error *err;
} parse_ctx;

static int parse_struct(parse_ctx *pc, const ecp_shape *shape,
                        const xmlNode *node, void *obj);

static int parse_scalar(parse_ctx *pc, const ecp_member *m, const xmlNode *node,
                        void *obj)
{
    char *field = (char *)obj + m->offset;
    char *text = element_text(node);
    ec_opt_int oi = {0};
    ec_opt_bool ob = {0};
    ec_opt_double od = {0};
    ec_time t = {0};
    int rc = -1;

    if (!text) {
        ecp_error_set(pc->err, EC_ERR_NOMEM, "out of memory parsing XML");
        goto out;
    }
    switch (m->kind) {
    case ECP_K_STRING:
        ecp_member_ptr_set(obj, m, text);
        text = NULL;
        break;
    case ECP_K_INT:
        if (!parse_int(text, &oi.value)) {
            ecp_error_set(pc->err, EC_ERR_PARSE,
                          "%s response: %s is not an integer: \"%.40s\"",
                          pc->what, m->name, text);
            goto out;
        }
        oi.set = true;
        memcpy(field, &oi, sizeof(oi));
        break;
    case ECP_K_BOOL:
        ob.set = true;
        ob.value = strcmp(text, "true") == 0;
        memcpy(field, &ob, sizeof(ob));
        break;
    case ECP_K_DOUBLE:
        if (!parse_double(text, &od.value)) {
            ecp_error_set(pc->err, EC_ERR_PARSE,
                          "%s response: %s is not a finite number: \"%.40s\"",
                          pc->what, m->name, text);
            goto out;
        }
        od.set = true;
        memcpy(field, &od, sizeof(od));
        break;
    case ECP_K_TIME:
        if (ec_time_parse(text, &t, NULL) != 0) {
            ecp_error_set(pc->err, EC_ERR_PARSE,
                          "%s response: %s is not a timestamp: \"%.40s\"",
                          pc->what, m->name, text);
            goto out;
        }
        memcpy(field, &t, sizeof(t));
        break;
    default:
        ecp_error_set(pc->err, EC_ERR_INTERNAL, "bad scalar kind");
        goto out;
    }
    rc = 0;
out:
    free(text);
    return rc;
}

static size_t count_elements(const xmlNode *node)
{
    const xmlNode *c;
    size_t n = 0;

    for (c = node->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            n++;
    return n;
}

/* A list wrapper: as botocore, every child element is an item whatever its
 * name (the model's item name is what AWS sends). */
static int parse_list(parse_ctx *pc, const ecp_member *m, const xmlNode *node,
                      void *obj)
{
    size_t n = count_elements(node), i = 0;
    const xmlNode *c;
    ec_strlist *sl;
    void **items = NULL;

    if (m->kind == ECP_K_STRLIST) {
        sl = (ec_strlist *)(void *)((char *)obj + m->offset);
        sl->set = true;
        if (n == 0)
            return 0;
        sl->items = calloc(n, sizeof(*sl->items));
        if (!sl->items)
            return ecp_error_set(pc->err, EC_ERR_NOMEM,
                                 "out of memory parsing XML");
        for (c = node->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE)
                continue;
            sl->items[i] = element_text(c);
            if (!sl->items[i])
                return ecp_error_set(pc->err, EC_ERR_NOMEM,
                                     "out of memory parsing XML");
            sl->count = ++i;
        }
        return 0;
    }
    if (n > 0) {
        items = calloc(n, sizeof(*items));
        if (!items)
            return ecp_error_set(pc->err, EC_ERR_NOMEM,
                                 "out of memory parsing XML");
    }
    /* Owned by obj from here, so a failure below is cleaned up with it
     * (slots not reached yet are NULL). */
    ecp_member_list_set(obj, m, true, n, items);
    for (c = node->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        items[i] = calloc(1, m->shape->size);
        if (!items[i])
            return ecp_error_set(pc->err, EC_ERR_NOMEM,
                                 "out of memory parsing XML");
        if (parse_struct(pc, m->shape, c, items[i]) != 0)
            return -1;
        i++;
    }
    return 0;
}

static int parse_struct(parse_ctx *pc, const ecp_shape *shape,
                        const xmlNode *node, void *obj)
{
    const ecp_member *m;
    const xmlNode *c;
    void *sub;
    size_t i;

    for (i = 0; i < shape->count; i++) {
        m = &shape->members[i];
        c = child(node, ECP_XML_NAME(m));
        if (!c)
            continue;
        switch (m->kind) {
        case ECP_K_STRUCT:
            sub = calloc(1, m->shape->size);
            if (!sub)
                return ecp_error_set(pc->err, EC_ERR_NOMEM,
                                     "out of memory parsing XML");
            ecp_member_ptr_set(obj, m, sub);
            if (parse_struct(pc, m->shape, c, sub) != 0)
                return -1;
            break;
        case ECP_K_LIST:
        case ECP_K_STRLIST:
            if (parse_list(pc, m, c, obj) != 0)
                return -1;
            break;
        default:
            if (parse_scalar(pc, m, c, obj) != 0)
                return -1;
            break;
        }
    }
    return 0;
}

/* The common envelope: <{Op}Response><{Op}Result>...</{Op}Result>
 * <ResponseMetadata><RequestId/></ResponseMetadata></{Op}Response>. `*out`
 * is a new struct of `shape` on success, NULL on failure. */
int ref_parse_response(const char *op, const char *xml, size_t len,
                       size_t max_bytes, const ecp_shape *shape, void **out,
                       char **request_id, ec_error *err)
{
    char root_name[96], result_name[96];
    parse_ctx pc = {op, err};
    xmlDoc *doc = NULL;
    xmlNode *root, *result, *meta, *rid;
    void *obj = NULL;
    int rc = -1;

    *out = NULL;
    *request_id = NULL;
    snprintf(root_name, sizeof(root_name), "%sResponse", op);
    snprintf(result_name, sizeof(result_name), "%sResult", op);
    if (read_doc(xml, len, max_bytes, op, &doc, err) != 0)
        goto out;
    root = xmlDocGetRootElement(doc);
    if (!root || !is_named(root, root_name)) {
        ecp_error_set(err, EC_ERR_PARSE,
                      "unexpected XML root <%.64s> in %s response (wanted "
                      "<%s>)",
                      root ? (const char *)root->name : "", op, root_name);
        goto out;
    }
    result = child(root, result_name);
    if (!result) {
        ecp_error_set(err, EC_ERR_PARSE, "%s response has no <%s> element", op,
                      result_name);
        goto out;
    }
    obj = calloc(1, shape->size);
    if (!obj) {
        ecp_error_set(err, EC_ERR_NOMEM, "out of memory parsing XML");
        goto out;
    }
    if (parse_struct(&pc, shape, result, obj) != 0)
        goto out;
    meta = child(root, "ResponseMetadata");
    rid = child(meta, "RequestId");
    if (rid) {
        *request_id = element_text(rid);
        if (!*request_id) {
            ecp_error_set(err, EC_ERR_NOMEM, "out of memory parsing XML");
            goto out;
        }
    }
    *out = obj;
    obj = NULL;
    rc = 0;
out:
    ecp_shape_free(shape, obj);
    xmlFreeDoc(doc);
    return rc;
}
