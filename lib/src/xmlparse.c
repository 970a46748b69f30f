/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Query-protocol XML responses into the public structs, driven by the
 * shape tables in shapes.c and following botocore's QueryParser rule for
 * rule (namespaces ignored, unknown elements ignored, empty elements are
 * "", [] or {}, booleans true only for the text "true").
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
#include "xmlparse.h"

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

/* The checks and options every parse shares: no network, no DTD loading,
 * no entity substitution, errors kept from stderr. More than `max_bytes`
 * (the client's max_response_bytes; 0: no limit of ours) is refused before
 * parsing, and libxml2 takes no more than INT_MAX. */
static int parse_options(const char *xml, size_t len, size_t max_bytes,
                         const char *what, int *options, ec_error *err)
{
    *options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
               XML_PARSE_NOCDATA;
    if (!xml || len == 0)
        return ecp_error_set(err, EC_ERR_PARSE, "empty %s response", what);
    if (max_bytes == 0 || max_bytes > INT_MAX)
        max_bytes = INT_MAX;
    if (len > max_bytes)
        return ecp_error_set(err, EC_ERR_PARSE,
                             "%s response is too large (%zu bytes, limit %zu)",
                             what, len, max_bytes);
    /* libxml2 refuses a document over about 10 MB without XML_PARSE_HUGE
     * ("Huge input lookup"), whatever limit the caller set: above that,
     * the caller's limit rules. HUGE lifts libxml2's size and depth limits,
     * not its entity protections, and DTDs are refused anyway. */
    if (len > XML_LIBXML2_DEFAULT_MAX)
        *options |= XML_PARSE_HUGE;
    pthread_once(&xml_once, xml_init);
    return 0;
}

/* libxml2's own message for a document it could not parse. */
static int malformed(xmlParserCtxt *ctxt, const char *what, ec_error *err)
{
    const xmlError *xe = xmlCtxtGetLastError(ctxt);
    char msg[160] = "";
    size_t n;

    if (xe && xe->message) {
        snprintf(msg, sizeof(msg), "%s", xe->message);
        n = strlen(msg);
        while (n > 0 && isspace((unsigned char)msg[n - 1]))
            msg[--n] = '\0';
    }
    return ecp_error_set(err, EC_ERR_PARSE,
                         "malformed XML in %s response (line %d): %s", what,
                         xe ? xe->line : 0, msg[0] ? msg : "parse error");
}

static int has_dtd(const char *what, ec_error *err)
{
    return ecp_error_set(err, EC_ERR_PARSE,
                         "%s response carries a DTD, which is not accepted",
                         what);
}

/* Read the bytes into a tree (the small documents: error bodies and STS
 * answers; the operation responses are streamed, see parse_response).
 * A document carrying a DTD is refused outright (AWS never sends one, and
 * it is the door to entity expansion attacks). */
static int read_doc(const char *xml, size_t len, size_t max_bytes,
                    const char *what, xmlDoc **out, ec_error *err)
{
    xmlParserCtxt *ctxt = NULL;
    xmlDoc *doc = NULL;
    saved_handlers saved;
    int options;
    int rc = -1;

    *out = NULL;
    if (parse_options(xml, len, max_bytes, what, &options, err) != 0)
        goto out;
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
        malformed(ctxt, what, err);
        goto out;
    }
    if (doc->intSubset || doc->extSubset) {
        has_dtd(what, err);
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

/* ------------------------------------------------------------------ */
/* Operation responses, streamed                                       */
/* ------------------------------------------------------------------ */

/*
 * A response is read in one pass of libxml2's SAX2 parser straight into
 * the structs, with no tree in between: the shape tables say, at each
 * element, which member it is. The result is the one the tree walk over
 * the same document gave (botocore's rules, above), because it follows
 * ElementTree's view of the document:
 * - members are the direct children of their struct's element, looked up
 *   by name, prefixes ignored; the first element of a name wins and later
 *   ones are skipped whole, as are elements no member names;
 * - a scalar's text is the character data before its first child element
 *   (entities, character references and CDATA decoded; comments and
 *   processing instructions dropped, the text around them joined);
 * - every child element of a list wrapper is an item, whatever its name.
 * The checks keep their order too: malformed XML, then a DTD, then the
 * root, then the <{Op}Result>, then the values. A DOCTYPE stops the
 * parser where it starts, before any declaration in it is read. Two
 * differences, in messages only: a document with a DTD is refused for it
 * even when it is malformed further on (the tree was parsed to the end
 * first); and of several bad values in one response the first in the
 * document is named (the tree walk named the first in model order).
 * tests/unit/xml/test_xml_stream.c and fuzz_xml hold the two to the same
 * structs and errors (xml_reference.c is the tree walk, kept as oracle).
 */

/* Deeper than any path through the shapes (about a dozen frames); the
 * parser only pushes a frame for an element a member names. */
#define MAX_FRAMES 32

typedef enum frame_kind {
    FR_ROOT,    /* <{Op}Response> */
    FR_META,    /* <ResponseMetadata> */
    FR_STRUCT,  /* a struct of `shape` at `obj` */
    FR_LIST,    /* list member `m` of `obj`, of structs */
    FR_STRLIST, /* string list member `m` of `obj` */
    FR_TEXT     /* a scalar's text: member `m` of `obj`, an item of the
                   FR_STRLIST below (`item`), or the request id (m NULL) */
} frame_kind;

typedef struct frame {
    frame_kind kind;
    bool item;
    const ecp_shape *shape;
    void *obj;
    const ecp_member *m;
    uint64_t seen; /* FR_STRUCT: the members read (the first one wins) */
    size_t next;   /* FR_STRUCT: where the next name lookup starts */
    size_t cap;    /* FR_LIST, FR_STRLIST: slots allocated */
} frame;

typedef struct stream {
    xmlParserCtxt *ctxt;
    const char *what; /* operation name, for messages */
    const char *root_name, *result_name;
    const ecp_shape *shape;
    void *obj;        /* the output; everything read hangs off it */
    char *request_id; /* likewise, until handed over */
    frame frames[MAX_FRAMES];
    int top;             /* the current frame; -1 outside the root */
    unsigned long depth; /* element depth, counted whatever happens */
    unsigned long skip;  /* depth inside an element being skipped */
    bool text_open;      /* FR_TEXT: no child element met yet */
    char *text;          /* the text of the current FR_TEXT */
    size_t text_len, text_cap;
    bool root_seen, root_ok, root_done, have_result, have_meta, have_rid;
    bool dtd;
    bool failed;          /* a value was refused or memory ran out */
    bool nomem;           /* memory ran out: the parser was stopped */
    char bad_root[65];    /* the root's name when it is not root_name */
    ec_error value_error; /* why, when failed */
} stream;

static void stream_nomem(stream *st)
{
    if (!st->failed) {
        ec_error_clear(&st->value_error);
        ecp_error_set(&st->value_error, EC_ERR_NOMEM,
                      "out of memory parsing XML");
    }
    st->failed = st->nomem = true;
    xmlStopParser(st->ctxt);
}

static int push(stream *st, frame_kind kind, const ecp_shape *shape, void *obj,
                const ecp_member *m)
{
    frame *f;

    if (st->top + 1 >= MAX_FRAMES) {
        ecp_error_set(&st->value_error, EC_ERR_INTERNAL,
                      "%s response nests deeper than the shapes", st->what);
        st->failed = true;
        return -1;
    }
    f = &st->frames[++st->top];
    memset(f, 0, sizeof(*f));
    f->kind = kind;
    f->shape = shape;
    f->obj = obj;
    f->m = m;
    if (kind == FR_TEXT) {
        st->text_len = 0;
        st->text_open = true;
    }
    return 0;
}

/* The member of f's struct whose element is called `name`, starting where
 * the last one was found (AWS sends members in model order). */
static const ecp_member *find_member(frame *f, const char *name, size_t *at)
{
    const ecp_shape *s = f->shape;
    size_t k, i = f->next;

    for (k = 0; k < s->count; k++, i++) {
        if (i >= s->count)
            i = 0;
        if (strcmp(ECP_XML_NAME(&s->members[i]), name) == 0) {
            *at = i;
            return &s->members[i];
        }
    }
    return NULL;
}

/* Grow a list of pointers to hold one more; `*items` stays valid (and
 * owned by its struct) when this fails. */
static int grow(void ***items, size_t count, size_t *cap)
{
    size_t n = *cap ? *cap * 2 : 4;
    void **p;

    if (count < *cap)
        return 0;
    if (n > SIZE_MAX / sizeof(*p))
        return -1;
    p = realloc(*items, n * sizeof(*p));
    if (!p)
        return -1;
    *items = p;
    *cap = n;
    return 0;
}

static void start_member(stream *st, frame *f, const char *name)
{
    const ecp_member *m;
    ec_strlist *sl;
    size_t i;
    void *sub;

    m = find_member(f, name, &i);
    if (!m || (f->seen & ((uint64_t)1 << i))) {
        st->skip = 1;
        return;
    }
    f->seen |= (uint64_t)1 << i;
    f->next = i + 1;
    switch (m->kind) {
    case ECP_K_STRUCT:
        sub = calloc(1, m->shape->size);
        if (!sub) {
            stream_nomem(st);
            return;
        }
        ecp_member_ptr_set(f->obj, m, sub);
        push(st, FR_STRUCT, m->shape, sub, NULL);
        return;
    case ECP_K_LIST:
        ecp_member_list_set(f->obj, m, true, 0, NULL);
        push(st, FR_LIST, m->shape, f->obj, m);
        return;
    case ECP_K_STRLIST:
        sl = (ec_strlist *)(void *)((char *)f->obj + m->offset);
        sl->set = true;
        push(st, FR_STRLIST, NULL, f->obj, m);
        return;
    default:
        push(st, FR_TEXT, NULL, f->obj, m);
        return;
    }
}

/* A new item of the list of structs in f. */
static void start_item(stream *st, frame *f)
{
    size_t count;
    void **items;
    void *item;

    ecp_member_list_get(f->obj, f->m, &count, &items);
    if (grow(&items, count, &f->cap) != 0) {
        stream_nomem(st);
        return;
    }
    ecp_member_list_set(f->obj, f->m, true, count, items);
    item = calloc(1, f->shape->size);
    if (!item) {
        stream_nomem(st);
        return;
    }
    /* Owned by the list from here, so a failure inside it is cleaned up
     * with the rest. */
    items[count] = item;
    ecp_member_list_set(f->obj, f->m, true, count + 1, items);
    push(st, FR_STRUCT, f->shape, item, NULL);
}

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                     const xmlChar *uri, int nb_namespaces,
                     const xmlChar **namespaces, int nb_attributes,
                     int nb_defaulted, const xmlChar **attributes)
{
    stream *st = ((xmlParserCtxt *)ctx)->_private;
    const char *name = (const char *)localname;
    frame *f;

    ECP_UNUSED(prefix);
    ECP_UNUSED(uri);
    ECP_UNUSED(nb_namespaces);
    ECP_UNUSED(namespaces);
    ECP_UNUSED(nb_attributes);
    ECP_UNUSED(nb_defaulted);
    ECP_UNUSED(attributes);
    st->depth++;
    if (st->failed)
        return;
    if (st->skip) {
        st->skip++;
        return;
    }
    if (!st->root_seen) {
        st->root_seen = true;
        if (strcmp(name, st->root_name) != 0) {
            snprintf(st->bad_root, sizeof(st->bad_root), "%s", name);
            st->skip = 1;
            return;
        }
        st->root_ok = true;
        push(st, FR_ROOT, NULL, NULL, NULL);
        return;
    }
    f = &st->frames[st->top];
    switch (f->kind) {
    case FR_ROOT:
        if (!st->have_result && strcmp(name, st->result_name) == 0) {
            st->have_result = true;
            push(st, FR_STRUCT, st->shape, st->obj, NULL);
        } else if (!st->have_meta && strcmp(name, "ResponseMetadata") == 0) {
            st->have_meta = true;
            push(st, FR_META, NULL, NULL, NULL);
        } else {
            st->skip = 1;
        }
        return;
    case FR_META:
        if (!st->have_rid && strcmp(name, "RequestId") == 0) {
            st->have_rid = true;
            push(st, FR_TEXT, NULL, NULL, NULL);
        } else {
            st->skip = 1;
        }
        return;
    case FR_STRUCT:
        start_member(st, f, name);
        return;
    case FR_LIST:
        start_item(st, f);
        return;
    case FR_STRLIST:
        push(st, FR_TEXT, NULL, f->obj, f->m);
        st->frames[st->top].item = true;
        return;
    case FR_TEXT:
        /* The text ends at the first child element; children are not
         * members of anything. */
        st->text_open = false;
        st->skip = 1;
        return;
    }
}

static void on_text(void *ctx, const xmlChar *ch, int len)
{
    stream *st = ((xmlParserCtxt *)ctx)->_private;
    size_t n = (size_t)len, cap;
    char *p;

    /* text_open: the current frame is a FR_TEXT before its first child. */
    if (st->failed || st->skip || !st->text_open || len <= 0)
        return;
    if (st->text_cap - st->text_len <= n) {
        cap = st->text_cap ? st->text_cap : 256;
        while (cap - st->text_len <= n) {
            if (cap > SIZE_MAX / 2) {
                stream_nomem(st);
                return;
            }
            cap *= 2;
        }
        p = realloc(st->text, cap);
        if (!p) {
            stream_nomem(st);
            return;
        }
        st->text = p;
        st->text_cap = cap;
    }
    memcpy(st->text + st->text_len, ch, n);
    st->text_len += n;
}

static int parse_scalar(stream *st, const ecp_member *m, const char *text,
                        size_t len, void *obj);

/* The end of a FR_TEXT: store what it read. */
static void end_text(stream *st, const frame *f)
{
    static char empty[1];
    const char *text = st->text ? st->text : empty;
    ec_strlist *sl;
    char *copy;

    if (st->text)
        st->text[st->text_len] = '\0';
    st->text_open = false;
    if (f->m && (f->item || f->m->kind == ECP_K_STRING)) {
        copy = malloc(st->text_len + 1);
        if (!copy) {
            stream_nomem(st);
            return;
        }
        memcpy(copy, text, st->text_len + 1);
        if (!f->item) {
            ecp_member_ptr_set(f->obj, f->m, copy);
            return;
        }
        sl = (ec_strlist *)(void *)((char *)f->obj + f->m->offset);
        if (grow((void ***)(void *)&sl->items, sl->count,
                 &st->frames[st->top - 1].cap) != 0) {
            free(copy);
            stream_nomem(st);
            return;
        }
        sl->items[sl->count++] = copy;
        return;
    }
    if (!f->m) {
        st->request_id = malloc(st->text_len + 1);
        if (!st->request_id) {
            stream_nomem(st);
            return;
        }
        memcpy(st->request_id, text, st->text_len + 1);
        return;
    }
    if (parse_scalar(st, f->m, text, st->text_len, f->obj) != 0)
        st->failed = true;
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                   const xmlChar *uri)
{
    stream *st = ((xmlParserCtxt *)ctx)->_private;
    frame *f;

    ECP_UNUSED(localname);
    ECP_UNUSED(prefix);
    ECP_UNUSED(uri);
    if (st->depth > 0 && --st->depth == 0)
        st->root_done = true;
    if (st->failed)
        return;
    if (st->skip) {
        st->skip--;
        return;
    }
    if (st->top < 0)
        return;
    f = &st->frames[st->top];
    if (f->kind == FR_TEXT)
        end_text(st, f);
    st->top--;
}

/* A DOCTYPE: refused before anything declared in it is read. */
static void on_dtd(void *ctx, const xmlChar *name, const xmlChar *external_id,
                   const xmlChar *system_id)
{
    xmlParserCtxt *ctxt = ctx;
    stream *st = ctxt->_private;

    ECP_UNUSED(name);
    ECP_UNUSED(external_id);
    ECP_UNUSED(system_id);
    st->dtd = true;
    xmlStopParser(ctxt);
}

/* A scalar's text into its member of `obj`. */
static int parse_scalar(stream *st, const ecp_member *m, const char *text,
                        size_t len, void *obj)
{
    char *field = (char *)obj + m->offset;
    ec_opt_int oi = {0};
    ec_opt_bool ob = {0};
    ec_opt_double od = {0};
    ec_time t = {0};

    switch (m->kind) {
    case ECP_K_INT:
        if (!parse_int(text, &oi.value))
            return ecp_error_set(&st->value_error, EC_ERR_PARSE,
                                 "%s response: %s is not an integer: "
                                 "\"%.40s\"",
                                 st->what, m->name, text);
        oi.set = true;
        memcpy(field, &oi, sizeof(oi));
        return 0;
    case ECP_K_BOOL:
        ob.set = true;
        ob.value = len == 4 && memcmp(text, "true", 4) == 0;
        memcpy(field, &ob, sizeof(ob));
        return 0;
    case ECP_K_DOUBLE:
        if (!parse_double(text, &od.value))
            return ecp_error_set(&st->value_error, EC_ERR_PARSE,
                                 "%s response: %s is not a finite number: "
                                 "\"%.40s\"",
                                 st->what, m->name, text);
        od.set = true;
        memcpy(field, &od, sizeof(od));
        return 0;
    case ECP_K_TIME:
        if (ec_time_parse(text, &t, NULL) != 0)
            return ecp_error_set(&st->value_error, EC_ERR_PARSE,
                                 "%s response: %s is not a timestamp: "
                                 "\"%.40s\"",
                                 st->what, m->name, text);
        memcpy(field, &t, sizeof(t));
        return 0;
    default:
        return ecp_error_set(&st->value_error, EC_ERR_INTERNAL,
                             "bad scalar kind");
    }
}

/* The common envelope: <{Op}Response><{Op}Result>...</{Op}Result>
 * <ResponseMetadata><RequestId/></ResponseMetadata></{Op}Response>. `*out`
 * is a new struct of `shape` on success, NULL on failure. */
static int parse_response(const char *op, const char *xml, size_t len,
                          size_t max_bytes, const ecp_shape *shape, void **out,
                          char **request_id, ec_error *err)
{
    char root_name[96], result_name[96];
    xmlParserCtxt *ctxt = NULL;
    xmlSAXHandler sax;
    saved_handlers saved;
    stream st;
    int options, rc = -1;

    *out = NULL;
    *request_id = NULL;
    memset(&st, 0, sizeof(st));
    st.top = -1;
    st.what = op;
    st.shape = shape;
    snprintf(root_name, sizeof(root_name), "%sResponse", op);
    snprintf(result_name, sizeof(result_name), "%sResult", op);
    st.root_name = root_name;
    st.result_name = result_name;
    if (parse_options(xml, len, max_bytes, op, &options, err) != 0)
        goto out;
    st.obj = calloc(1, shape->size);
    if (!st.obj) {
        ecp_error_set(err, EC_ERR_NOMEM, "out of memory parsing XML");
        goto out;
    }
    /* Only what the structs need: elements, text (CDATA arrives as text
     * under XML_PARSE_NOCDATA; white space, ignorable or not, is text),
     * and the DOCTYPE, to refuse it. No entity, notation or subset
     * handler: nothing declared is ever looked at. */
    memset(&sax, 0, sizeof(sax));
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = on_start;
    sax.endElementNs = on_end;
    sax.characters = on_text;
    sax.ignorableWhitespace = on_text;
    sax.internalSubset = on_dtd;
    silence(&saved);
    ctxt = xmlNewParserCtxt();
    if (ctxt) {
        /* xmlNewParserCtxt allocated ctxt->sax as an xmlSAXHandler;
         * xmlCtxtReadMemory keeps it (it only clears the handlers the
         * options switch off), and calls back with ctxt. */
        memcpy(ctxt->sax, &sax, sizeof(sax));
        ctxt->_private = &st;
        st.ctxt = ctxt;
        xmlCtxtReadMemory(ctxt, xml, (int)len, NULL, "UTF-8", options);
    }
    restore(&saved);
    if (!ctxt || st.nomem || ctxt->errNo == XML_ERR_NO_MEMORY) {
        ecp_error_set(err, EC_ERR_NOMEM, "out of memory parsing XML");
        goto out;
    }
    if (st.dtd) {
        has_dtd(op, err);
        goto out;
    }
    if (!ctxt->wellFormed || !st.root_done) {
        malformed(ctxt, op, err);
        goto out;
    }
    if (!st.root_ok) {
        ecp_error_set(err, EC_ERR_PARSE,
                      "unexpected XML root <%.64s> in %s response (wanted "
                      "<%s>)",
                      st.bad_root, op, root_name);
        goto out;
    }
    if (!st.have_result) {
        ecp_error_set(err, EC_ERR_PARSE, "%s response has no <%s> element", op,
                      result_name);
        goto out;
    }
    if (st.failed) {
        ecp_error_set(err, st.value_error.code, "%s", st.value_error.message);
        goto out;
    }
    *out = st.obj;
    st.obj = NULL;
    *request_id = st.request_id;
    st.request_id = NULL;
    rc = 0;
out:
    ecp_shape_free(shape, st.obj);
    free(st.request_id);
    free(st.text);
    xmlFreeParserCtxt(ctxt);
    return rc;
}

int ecp_parse_describe_cache_clusters(const char *xml, size_t len,
                                      size_t max_bytes,
                                      ec_describe_cache_clusters_output **out,
                                      ec_error *err)
{
    void *obj;
    char *rid;

    *out = NULL;
    if (parse_response("DescribeCacheClusters", xml, len, max_bytes,
                       &ecp_shape_cache_cluster_message, &obj, &rid, err) != 0)
        return -1;
    *out = obj;
    (*out)->request_id = rid;
    return 0;
}

int ecp_parse_reboot_cache_cluster(const char *xml, size_t len,
                                   size_t max_bytes,
                                   ec_reboot_cache_cluster_output **out,
                                   ec_error *err)
{
    void *obj;
    char *rid;

    *out = NULL;
    if (parse_response("RebootCacheCluster", xml, len, max_bytes,
                       &ecp_shape_reboot_cache_cluster_result, &obj, &rid,
                       err) != 0)
        return -1;
    *out = obj;
    (*out)->request_id = rid;
    return 0;
}

int ecp_parse_describe_events(const char *xml, size_t len, size_t max_bytes,
                              ec_describe_events_output **out, ec_error *err)
{
    void *obj;
    char *rid;

    *out = NULL;
    if (parse_response("DescribeEvents", xml, len, max_bytes,
                       &ecp_shape_events_message, &obj, &rid, err) != 0)
        return -1;
    *out = obj;
    (*out)->request_id = rid;
    return 0;
}

int ecp_parse_describe_replication_groups(
    const char *xml, size_t len, size_t max_bytes,
    ec_describe_replication_groups_output **out, ec_error *err)
{
    void *obj;
    char *rid;

    *out = NULL;
    if (parse_response("DescribeReplicationGroups", xml, len, max_bytes,
                       &ecp_shape_replication_group_message, &obj, &rid,
                       err) != 0)
        return -1;
    *out = obj;
    (*out)->request_id = rid;
    return 0;
}

int ecp_parse_modify_replication_group(const char *xml, size_t len,
                                       size_t max_bytes,
                                       ec_modify_replication_group_output **out,
                                       ec_error *err)
{
    void *obj;
    char *rid;

    *out = NULL;
    if (parse_response("ModifyReplicationGroup", xml, len, max_bytes,
                       &ecp_shape_modify_replication_group_result, &obj, &rid,
                       err) != 0)
        return -1;
    *out = obj;
    (*out)->request_id = rid;
    return 0;
}

int ecp_parse_list_tags_for_resource(const char *xml, size_t len,
                                     size_t max_bytes,
                                     ec_list_tags_for_resource_output **out,
                                     ec_error *err)
{
    void *obj;
    char *rid;

    *out = NULL;
    if (parse_response("ListTagsForResource", xml, len, max_bytes,
                       &ecp_shape_tag_list_message, &obj, &rid, err) != 0)
        return -1;
    *out = obj;
    (*out)->request_id = rid;
    return 0;
}

/* Python's http.client.responses, for bodies that carry no error code. */
static const char *reason_phrase(int status)
{
    static const struct {
        int status;
        const char *text;
    } phrases[] = {
        {300, "Multiple Choices"},
        {301, "Moved Permanently"},
        {302, "Found"},
        {303, "See Other"},
        {304, "Not Modified"},
        {305, "Use Proxy"},
        {307, "Temporary Redirect"},
        {308, "Permanent Redirect"},
        {400, "Bad Request"},
        {401, "Unauthorized"},
        {402, "Payment Required"},
        {403, "Forbidden"},
        {404, "Not Found"},
        {405, "Method Not Allowed"},
        {406, "Not Acceptable"},
        {407, "Proxy Authentication Required"},
        {408, "Request Timeout"},
        {409, "Conflict"},
        {410, "Gone"},
        {411, "Length Required"},
        {412, "Precondition Failed"},
        {413, "Request Entity Too Large"},
        {414, "Request-URI Too Long"},
        {415, "Unsupported Media Type"},
        {416, "Requested Range Not Satisfiable"},
        {417, "Expectation Failed"},
        {418, "I'm a Teapot"},
        {421, "Misdirected Request"},
        {422, "Unprocessable Entity"},
        {423, "Locked"},
        {424, "Failed Dependency"},
        {425, "Too Early"},
        {426, "Upgrade Required"},
        {428, "Precondition Required"},
        {429, "Too Many Requests"},
        {431, "Request Header Fields Too Large"},
        {451, "Unavailable For Legal Reasons"},
        {500, "Internal Server Error"},
        {501, "Not Implemented"},
        {502, "Bad Gateway"},
        {503, "Service Unavailable"},
        {504, "Gateway Timeout"},
        {505, "HTTP Version Not Supported"},
        {506, "Variant Also Negotiates"},
        {507, "Insufficient Storage"},
        {508, "Loop Detected"},
        {510, "Not Extended"},
        {511, "Network Authentication Required"},
    };
    size_t i;

    for (i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++)
        if (phrases[i].status == status)
            return phrases[i].text;
    return "";
}

/* botocore's _is_generic_error_response: a 5xx whose body is empty or an
 * HTML page carries no error code. */
static bool generic_body(const char *xml, size_t len, int http_status)
{
    if (http_status < 500)
        return false;
    while (len > 0 && isspace((unsigned char)*xml)) {
        xml++;
        len--;
    }
    return len == 0 || (len >= 6 && memcmp(xml, "<html>", 6) == 0);
}

int ecp_parse_error(const char *xml, size_t len, size_t max_bytes,
                    int http_status, ec_error *err)
{
    char *code = NULL, *type = NULL, *message = NULL, *rid = NULL;
    char status_text[16];
    xmlNode *root, *error, *n;
    xmlDoc *doc = NULL;

    if (!xml || generic_body(xml, len, http_status))
        goto generic;
    /* A body that is not XML at all makes botocore raise a parse error;
     * the generic error below says the same thing more usefully. */
    if (read_doc(xml, len, max_bytes, "error", &doc, NULL) != 0)
        goto generic;
    root = xmlDocGetRootElement(doc);
    /* <ErrorResponse><Error/>...; some Query services use
     * <Response><Errors><Error/></Errors>, which botocore also accepts.
     * Whatever is missing, botocore's ClientError calls "Unknown". */
    error = child(root, "Error");
    if (!error)
        error = child(child(root, "Errors"), "Error");
    n = child(error, "Code");
    code = n ? element_text(n) : NULL;
    n = child(error, "Type");
    type = n ? element_text(n) : NULL;
    n = child(error, "Message");
    message = n ? element_text(n) : NULL;
    n = child(root, "RequestId");
    if (!n)
        n = child(child(root, "ResponseMetadata"), "RequestId");
    rid = n ? element_text(n) : NULL;
    ecp_error_set_service(err, http_status, code ? code : "Unknown", type,
                          message ? message : "Unknown", rid);
    free(code);
    free(type);
    free(message);
    free(rid);
    xmlFreeDoc(doc);
    return -1;

generic:
    snprintf(status_text, sizeof(status_text), "%d", http_status);
    return ecp_error_set_service(err, http_status, status_text, NULL,
                                 reason_phrase(http_status), NULL);
}

/* ------------------------------------------------------------------ */
/* Small lookups (the credential providers' STS answers)               */
/* ------------------------------------------------------------------ */

struct ecp_xml {
    xmlDoc *doc;
};

int ecp_xml_read(const char *xml, size_t len, const char *what, ecp_xml **out,
                 ec_error *err)
{
    xmlDoc *doc = NULL;

    *out = NULL;
    /* No limit of ours: the credential providers' HTTP layer already caps
     * the answer (ecp_http_request.max_bytes). */
    if (read_doc(xml, len, 0, what, &doc, err) != 0)
        return -1;
    *out = calloc(1, sizeof(**out));
    if (!*out) {
        xmlFreeDoc(doc);
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    }
    (*out)->doc = doc;
    return 0;
}

const char *ecp_xml_root_name(const ecp_xml *x)
{
    xmlNode *root = x ? xmlDocGetRootElement(x->doc) : NULL;

    return root ? (const char *)root->name : NULL;
}

char *ecp_xml_text(const ecp_xml *x, const char *const *path)
{
    xmlNode *n = x ? xmlDocGetRootElement(x->doc) : NULL;

    if (!n || !path || !path[0] || !is_named(n, path[0]))
        return NULL;
    for (path++; n && *path; path++)
        n = child(n, *path);
    return n ? element_text(n) : NULL;
}

static void wipe_tree(xmlNode *n)
{
    for (; n; n = n->next) {
        if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) &&
            n->content)
            ec_wipe(n->content, strlen((const char *)n->content));
        wipe_tree(n->children);
    }
}

void ecp_xml_free(ecp_xml *x)
{
    if (!x)
        return;
    if (x->doc)
        wipe_tree(xmlDocGetRootElement(x->doc));
    xmlFreeDoc(x->doc);
    free(x);
}
