/* SPDX-License-Identifier: Apache-2.0 */
/* The streaming response parser against the tree-walking one it replaced
 * (xml_reference.c, the parser as it was): the same structs or the same
 * error, for every operation, on the captured responses and the fuzz
 * seeds, every prefix of them, and seeded random mutations of them (markup
 * and values spliced in, ranges cut and repeated).
 *   test_xml_stream [STRIDE [MUTATIONS]]   prefixes every STRIDE bytes (7),
 *                                          MUTATIONS per document (200) */
#define _GNU_SOURCE /* memmem */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "util.h"
#include "xml_compare.h"

#define MAX_DOCS 64

static char *docs[MAX_DOCS];
static size_t lens[MAX_DOCS];
static size_t ndocs;

static void load_dir(const char *dir, const char *suffix)
{
    struct dirent **names = NULL;
    char path[1024];
    int n, i;

    n = scandir(dir, &names, NULL, alphasort);
    CHECK(n > 2);
    for (i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        size_t l = strlen(name);

        if (name[0] != '.' && l > strlen(suffix) &&
            strcmp(name + l - strlen(suffix), suffix) == 0 &&
            ndocs < MAX_DOCS) {
            snprintf(path, sizeof(path), "%s/%s", dir, name);
            if (ecp_read_file(path, 1 << 20, &docs[ndocs], &lens[ndocs],
                              NULL) == 0)
                ndocs++;
            else
                CHECK(0);
        }
        free(names[i]);
    }
    free(names);
}

static size_t compared, failed, accepted;

static void compare(const char *xml, size_t len, size_t max_bytes,
                    const char *label)
{
    char why[8192];

    int parsed = 0;
    int rc = xml_compare(xml, len, max_bytes, why, sizeof(why), &parsed);

    compared++;
    accepted += parsed > 0;
    CHECK(rc == 0);
    /* The first few in full; every one is counted. */
    if (rc != 0 && failed++ < 5)
        fprintf(stderr, "%s (%zu bytes): %s--- input\n%.*s\n---\n", label, len,
                why, (int)(len < 4000 ? len : 4000), xml);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
    uint64_t x = rng_state;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    rng_state = x;
    return x;
}

/* Balanced pieces spliced in where a tag starts: members known and
 * unknown, repeated and namespaced, bad values, and the markup the parsers
 * treat differently from plain text. */
static const char *const pieces[] = {
    "<CacheClusterId>x</CacheClusterId>",
    "<CacheNodeId>x</CacheNodeId>",
    "<CacheNodes/>",
    "<CacheNodes><CacheNode/></CacheNodes>",
    "<Endpoint><Port>1</Port></Endpoint>",
    "<NumCacheNodes>12a</NumCacheNodes>",
    "<Port>99999999999999999999</Port>",
    "<Port> 42 </Port>",
    "<CacheClusterCreateTime>yesterday</CacheClusterCreateTime>",
    "<CacheClusterCreateTime>2023-01-10T09:15:42.5+05:30"
    "</CacheClusterCreateTime>",
    "<ProgressPercentage>inf</ProgressPercentage>",
    "<ProgressPercentage>1_0.5</ProgressPercentage>",
    "<Marker>m</Marker>",
    "<Marker/>",
    "<RequestId>r</RequestId>",
    "<ResponseMetadata><RequestId>q</RequestId></ResponseMetadata>",
    "<ReplicationGroups/>",
    "<MemberClusters><ClusterId>c</ClusterId>"
    "</MemberClusters>",
    "<a:Engine xmlns:a=\"urn:x\">e</a:Engine>",
    "<Unknown><CacheNodeId>u"
    "</CacheNodeId></Unknown>",
    "<AutoMinorVersionUpgrade>True</AutoMinorVersionUpgrade>",
    "<x/>",
    "<![CDATA[<x>]]>",
    "<!-- c -->",
    "<?pi x?>",
    "&amp;",
    "&#233;",
    "&#x1F600;",
    "text",
    "\xc3\xa9",
};

/* Values put in place of an element's text. */
static const char *const values[] = {
    "",
    "true",
    "True",
    "-0",
    "1_000",
    " 42 ",
    "9223372036854775808",
    "1e999",
    "12.5",
    "2023-01-10T09:15:42.5+05:30",
    "1673342142",
    "2023-13-01T00:00:00Z",
    "a&amp;b",
    "&#0;",
    "&undefined;",
    "\xff",
    "x<y/>z",
    "<![CDATA[c]]>",
    "\t\n",
};

/* A random position where a tag starts (or the end). */
static size_t tag_start(const char *b, size_t n)
{
    size_t at = n ? rnd() % n : 0;

    while (at < n && b[at] != '<')
        at++;
    return at;
}

/* [*from, *to): a whole element starting at a random start tag, found by
 * name (the first end tag of that name after it). 0 when none. */
static int element_range(const char *b, size_t n, size_t *from, size_t *to)
{
    char end[160];
    size_t at = tag_start(b, n), k;
    const char *close;

    if (at >= n || b[at + 1] == '/' || b[at + 1] == '?' || b[at + 1] == '!')
        return 0;
    for (k = at + 1;
         k < n && k - at < 100 && b[k] != '>' && b[k] != ' ' && b[k] != '/';
         k++)
        ;
    if (k >= n || b[k] == '/')
        return 0;
    snprintf(end, sizeof(end), "</%.*s>", (int)(k - at - 1), b + at + 1);
    close = memmem(b + k, n - k, end, strlen(end));
    if (!close)
        return 0;
    *from = at;
    *to = (size_t)(close - b) + strlen(end);
    return 1;
}

static void splice(char **b, size_t *n, size_t *cap, size_t at, size_t cut,
                   const char *ins, size_t k)
{
    if (*n - cut + k + 1 > *cap) {
        *cap = *n - cut + k + 4096;
        *b = realloc(*b, *cap);
        if (!*b)
            abort();
    }
    memmove(*b + at + k, *b + at + cut, *n - at - cut);
    memcpy(*b + at, ins, k);
    *n = *n - cut + k;
}

/* 1..4 random edits of `src`, most of them keeping it well-formed. */
static char *mutate(const char *src, size_t len, size_t *out_len)
{
    size_t cap = len + 4096, n = len, edits = 1 + rnd() % 4, e, at, to, k;
    char *b = malloc(cap), *copy;
    const char *t;

    if (!b)
        abort();
    memcpy(b, src, len);
    for (e = 0; e < edits; e++) {
        switch (rnd() % 8) {
        case 0:
        case 1: /* a piece where a tag starts */
            t = pieces[rnd() % (sizeof(pieces) / sizeof(pieces[0]))];
            splice(&b, &n, &cap, tag_start(b, n), 0, t, strlen(t));
            break;
        case 2:
        case 3: /* an element repeated right after itself */
            if (!element_range(b, n, &at, &to))
                break;
            k = to - at;
            copy = malloc(k);
            if (!copy)
                abort();
            memcpy(copy, b + at, k);
            splice(&b, &n, &cap, to, 0, copy, k);
            free(copy);
            break;
        case 4: /* an element removed */
            if (element_range(b, n, &at, &to))
                splice(&b, &n, &cap, at, to - at, "", 0);
            break;
        case 5: /* an element's text replaced */
            at = tag_start(b, n);
            while (at < n && b[at] != '>')
                at++;
            if (at >= n || at + 1 >= n || b[at + 1] == '<')
                break;
            for (to = ++at; to < n && b[to] != '<'; to++)
                ;
            t = values[rnd() % (sizeof(values) / sizeof(values[0]))];
            splice(&b, &n, &cap, at, to - at, t, strlen(t));
            break;
        case 6: /* a range cut out */
            at = n ? rnd() % n : 0;
            k = rnd() % 64;
            if (at + k > n)
                k = n - at;
            splice(&b, &n, &cap, at, k, "", 0);
            break;
        default: /* a byte changed */
            if (n)
                b[rnd() % n] = "<>/&;!?[]\"' x0\n-.:\x80"[rnd() % 20];
            break;
        }
    }
    *out_len = n;
    return b;
}

int main(int argc, char **argv)
{
    size_t stride = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 7;
    long mutations = argc > 2 ? strtol(argv[2], NULL, 10) : 200;
    char label[256];
    size_t d, cut, len;
    long m;

    if (stride == 0)
        stride = 1;
    load_dir(EC_WIRE_DIR, ".response.xml");
    load_dir(EC_FUZZ_XML_CORPUS, "");
    CHECK(ndocs >= 20);
    for (d = 0; d < ndocs; d++) {
        snprintf(label, sizeof(label), "document %zu", d);
        compare(docs[d], lens[d], 0, label);
        /* The byte limit: at the length and one below. */
        compare(docs[d], lens[d], lens[d], label);
        compare(docs[d], lens[d], lens[d] - 1, label);
        for (cut = 0; cut < lens[d]; cut += stride) {
            snprintf(label, sizeof(label), "document %zu cut at %zu", d, cut);
            compare(docs[d], cut, 0, label);
        }
        for (m = 0; m < mutations; m++) {
            char *x = mutate(docs[d], lens[d], &len);

            snprintf(label, sizeof(label), "document %zu mutation %ld", d, m);
            compare(x, len, 0, label);
            free(x);
        }
        free(docs[d]);
    }
    fprintf(stderr,
            "compared %zu inputs (%zu parsed as some operation), %zu "
            "differed\n",
            compared, accepted, failed);
    /* Not only errors were compared. */
    CHECK(accepted > compared / 20);
    return test_status("xml.stream");
}
