/* SPDX-License-Identifier: Apache-2.0 */
/* XML parsing unit tests: malformed, truncated, hostile and unusual
 * responses, and the struct helpers (copy, clear, find_node). */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "util.h"
#include "xmlparse.h"

static char *load(const char *name, size_t *len)
{
    char path[512];
    char *data = NULL;

    snprintf(path, sizeof(path), "%s/%s", EC_WIRE_DIR, name);
    if (ecp_read_file(path, 1 << 20, &data, len, NULL) != 0) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    return data;
}

/* Parse as DescribeCacheClusters and render AWS-style; NULL on failure
 * (err filled). */
static char *dcc_json(const char *xml, ec_error *err)
{
    ec_describe_cache_clusters_output *out = NULL;
    json_t *j;
    char *s = NULL;

    if (ecp_parse_describe_cache_clusters(xml, strlen(xml), 0, &out, err) != 0)
        return NULL;
    j = ec_describe_cache_clusters_output_to_json(out, EC_JSON_AWS);
    s = ec_json_dumps_aws(j);
    json_decref(j);
    ec_describe_cache_clusters_output_free(out);
    return s;
}

#define HEAD                                                                   \
    "<DescribeCacheClustersResponse "                                          \
    "xmlns=\"http://elasticache.amazonaws.com/doc/2015-02-02/\">"              \
    "<DescribeCacheClustersResult><CacheClusters><CacheCluster>"
#define TAIL                                                                   \
    "</CacheCluster></CacheClusters></DescribeCacheClustersResult>"            \
    "<ResponseMetadata><RequestId>rid-1</RequestId></ResponseMetadata>"        \
    "</DescribeCacheClustersResponse>"

static void expect_json(const char *inner, const char *want)
{
    ec_error err = {0};
    char *xml, *got;
    size_t n = strlen(HEAD) + strlen(inner) + strlen(TAIL) + 1;

    xml = malloc(n);
    snprintf(xml, n, "%s%s%s", HEAD, inner, TAIL);
    got = dcc_json(xml, &err);
    if (!got)
        fprintf(stderr, "parse failed: %s\n", err.message);
    CHECK_STR(got, want);
    free(got);
    free(xml);
}

static void expect_parse_error(const char *xml, const char *needle)
{
    ec_error err = {0};
    char *got = dcc_json(xml, &err);

    CHECK(got == NULL);
    CHECK_INT(err.code, EC_ERR_PARSE);
    if (needle && !strstr(err.message, needle)) {
        fprintf(stderr, "message \"%s\" lacks \"%s\"\n", err.message, needle);
        CHECK(0);
    }
    free(got);
}

static void expect_inner_error(const char *inner, const char *needle)
{
    char *xml;
    size_t n = strlen(HEAD) + strlen(inner) + strlen(TAIL) + 1;

    xml = malloc(n);
    snprintf(xml, n, "%s%s%s", HEAD, inner, TAIL);
    expect_parse_error(xml, needle);
    free(xml);
}

#define ONE(body)                                                              \
    "{\n    \"CacheClusters\": [\n        {\n" body "\n        }\n    ]\n}\n"

static void test_scalars(void)
{
    expect_json("<CacheClusterId>a</CacheClusterId>",
                ONE("            \"CacheClusterId\": \"a\""));
    /* Empty element: "" for strings, {} and [] for structures and lists. */
    expect_json("<CacheClusterId/><PendingModifiedValues/><CacheNodes/>",
                ONE("            \"CacheClusterId\": \"\",\n"
                    "            \"PendingModifiedValues\": {},\n"
                    "            \"CacheNodes\": []"));
    /* Booleans are true only for exactly "true". */
    expect_json("<AutoMinorVersionUpgrade>True</AutoMinorVersionUpgrade>"
                "<AuthTokenEnabled>true</AuthTokenEnabled>"
                "<AtRestEncryptionEnabled></AtRestEncryptionEnabled>",
                ONE("            \"AutoMinorVersionUpgrade\": false,\n"
                    "            \"AuthTokenEnabled\": true,\n"
                    "            \"AtRestEncryptionEnabled\": false"));
    /* Integers as Python's int(). */
    expect_json("<NumCacheNodes> 42\n</NumCacheNodes>"
                "<SnapshotRetentionLimit>-9223372036854775808"
                "</SnapshotRetentionLimit>",
                ONE("            \"NumCacheNodes\": 42,\n"
                    "            \"SnapshotRetentionLimit\": "
                    "-9223372036854775808"));
    expect_json("<NumCacheNodes>1_000</NumCacheNodes>",
                ONE("            \"NumCacheNodes\": 1000"));
    expect_inner_error("<NumCacheNodes>9223372036854775808</NumCacheNodes>",
                       "NumCacheNodes");
    expect_inner_error("<NumCacheNodes>12a</NumCacheNodes>", "NumCacheNodes");
    expect_inner_error("<NumCacheNodes/>", "NumCacheNodes");
    expect_inner_error("<NumCacheNodes>1__0</NumCacheNodes>", "integer");
    /* Timestamps: fraction optional, offsets kept. */
    expect_json("<CacheClusterCreateTime>2023-01-10T09:15:42Z"
                "</CacheClusterCreateTime>"
                "<AuthTokenLastModifiedDate>2023-01-10T09:15:42.5+05:30"
                "</AuthTokenLastModifiedDate>",
                ONE("            \"CacheClusterCreateTime\": "
                    "\"2023-01-10T09:15:42+00:00\",\n"
                    "            \"AuthTokenLastModifiedDate\": "
                    "\"2023-01-10T09:15:42.500000+05:30\""));
    expect_inner_error("<CacheClusterCreateTime>yesterday"
                       "</CacheClusterCreateTime>",
                       "CacheClusterCreateTime");
    expect_inner_error("<CacheClusterCreateTime/>", "timestamp");
}

static void test_text(void)
{
    /* Entities, character references and CDATA decode; comments vanish;
     * text after a child element is not the element's text (as
     * ElementTree's .text). */
    expect_json("<CacheClusterId>a&amp;&lt;&gt;&quot;&#233;&#x1F600;"
                "<![CDATA[<x>]]>b<!-- c -->d<i/>e</CacheClusterId>",
                ONE("            \"CacheClusterId\": "
                    "\"a&<>\\\"\xc3\xa9\xf0\x9f\x98\x80<x>bd\""));
    expect_json("<CacheClusterId>  tab\there\n</CacheClusterId>",
                ONE("            \"CacheClusterId\": \"  tab\\there\\n\""));
}

static void test_unknown_and_namespaces(void)
{
    /* Unknown elements anywhere are ignored; prefixes are dropped; the
     * first of repeated elements wins. */
    expect_json("<Unknown><CacheClusterId>x</CacheClusterId></Unknown>"
                "<e:CacheClusterId xmlns:e=\"urn:other\">a</e:CacheClusterId>"
                "<CacheClusterId>b</CacheClusterId>"
                "<ConfigurationEndpoint><Port>1</Port><Zone>z</Zone>"
                "</ConfigurationEndpoint>",
                ONE("            \"CacheClusterId\": \"a\",\n"
                    "            \"ConfigurationEndpoint\": {\n"
                    "                \"Port\": 1\n"
                    "            }"));
    /* List items are every child element, as botocore reads them. */
    expect_json("<CacheParameterGroup><CacheNodeIdsToReboot>"
                "<CacheNodeId>0001</CacheNodeId> <Other>0002</Other>"
                "</CacheNodeIdsToReboot></CacheParameterGroup>",
                ONE("            \"CacheParameterGroup\": {\n"
                    "                \"CacheNodeIdsToReboot\": [\n"
                    "                    \"0001\",\n"
                    "                    \"0002\"\n"
                    "                ]\n"
                    "            }"));
    /* Top-level unknown siblings and no namespace at all. */
    {
        ec_error err = {0};
        char *got =
            dcc_json("<?xml version=\"1.0\"?><DescribeCacheClustersResponse>"
                     "<Extra/><DescribeCacheClustersResult><Marker>m</Marker>"
                     "<CacheClusters/></DescribeCacheClustersResult>"
                     "</DescribeCacheClustersResponse>",
                     &err);

        CHECK_STR(got, "{\n    \"Marker\": \"m\",\n    \"CacheClusters\": "
                       "[]\n}\n");
        free(got);
    }
}

static void test_malformed(void)
{
    char *big;
    size_t n = 17u * 1024u * 1024u;
    ec_describe_cache_clusters_output *out = NULL;
    ec_error err = {0};

    expect_parse_error("", "empty");
    expect_parse_error("not xml at all", "malformed");
    expect_parse_error("<DescribeCacheClustersResponse>", "malformed");
    expect_parse_error("<RebootCacheClusterResponse><RebootCacheClusterResult/>"
                       "</RebootCacheClusterResponse>",
                       "root");
    expect_parse_error("<DescribeCacheClustersResponse><ResponseMetadata/>"
                       "</DescribeCacheClustersResponse>",
                       "DescribeCacheClustersResult");
    expect_parse_error("<DescribeCacheClustersResponse><a></b>"
                       "</DescribeCacheClustersResponse>",
                       "malformed");
    /* No entity expansion, no external entities, no DTD at all. */
    expect_parse_error(
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM "
        "\"file:///etc/passwd\">]><DescribeCacheClustersResponse>"
        "<DescribeCacheClustersResult><Marker>&x;</Marker>"
        "</DescribeCacheClustersResult></DescribeCacheClustersResponse>",
        NULL);
    expect_parse_error(
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\">"
        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
        "<DescribeCacheClustersResponse><DescribeCacheClustersResult>"
        "<Marker>&b;</Marker></DescribeCacheClustersResult>"
        "</DescribeCacheClustersResponse>",
        "DTD");
    /* The caller's limit (the client's max_response_bytes) is the only
     * one: over it is refused before parsing, under it parses, even past
     * the 16 MiB default and libxml2's own 10 MB. */
    big = malloc(n);
    memset(big, ' ', n);
    memcpy(big, HEAD, strlen(HEAD));
    memcpy(big + n - strlen(TAIL), TAIL, strlen(TAIL));
    CHECK(ecp_parse_describe_cache_clusters(big, n, 16u * 1024u * 1024u, &out,
                                            &err) == -1);
    CHECK_INT(err.code, EC_ERR_PARSE);
    CHECK(strstr(err.message, "too large") != NULL);
    CHECK(strstr(err.message, "limit 16777216") != NULL);
    CHECK(out == NULL);
    ec_error_clear(&err);
    CHECK_INT(ecp_parse_describe_cache_clusters(big, n, 32u * 1024u * 1024u,
                                                &out, &err),
              0);
    CHECK(out && out->cache_clusters.count == 1);
    ec_describe_cache_clusters_output_free(out);
    out = NULL;
    CHECK_INT(ecp_parse_describe_cache_clusters(big, n, n, &out, &err), 0);
    ec_describe_cache_clusters_output_free(out);
    out = NULL;
    CHECK_INT(ecp_parse_describe_cache_clusters(big, n, n - 1, &out, &err), -1);
    CHECK(out == NULL);
    free(big);
    ec_error_clear(&err);
    /* Embedded NUL and invalid UTF-8. */
    {
        static const char nul[] = "<DescribeCacheClustersResponse>\0</"
                                  "DescribeCacheClustersResponse>";
        static const char bad[] = "<DescribeCacheClustersResponse><Describe"
                                  "CacheClustersResult><Marker>\xff\xfe"
                                  "</Marker></DescribeCacheClustersResult>"
                                  "</DescribeCacheClustersResponse>";

        ec_error_clear(&err);
        CHECK(ecp_parse_describe_cache_clusters(nul, sizeof(nul) - 1, 0, &out,
                                                &err) == -1);
        CHECK_INT(err.code, EC_ERR_PARSE);
        ec_error_clear(&err);
        CHECK(ecp_parse_describe_cache_clusters(bad, sizeof(bad) - 1, 0, &out,
                                                &err) == -1);
        CHECK_INT(err.code, EC_ERR_PARSE);
    }
    /* A failed parse hands nothing back. */
    CHECK(out == NULL);
}

/* Every prefix of every captured response parses cleanly or fails with
 * EC_ERR_PARSE: never a crash, a leak or another error. */
static void test_truncation(size_t stride)
{
    static const struct {
        const char *file;
        int op;
    } files[] = {
        {"describe-cache-clusters.response.xml", 0},
        {"describe-cache-clusters.page1-with-marker.response.xml", 0},
        {"reboot-cache-cluster.response.xml", 1},
        {"error-throttling.response.xml", 2},
        {"error-cache-cluster-not-found.response.xml", 2},
    };
    size_t f, len, cut, ok, bad;

    for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
        char *xml = load(files[f].file, &len);

        ok = bad = 0;
        for (cut = 0; cut <= len;
             cut = cut < len && cut + stride > len ? len : cut + stride) {
            ec_describe_cache_clusters_output *d = NULL;
            ec_reboot_cache_cluster_output *r = NULL;
            ec_error err = {0};
            int rc;

            if (files[f].op == 0)
                rc = ecp_parse_describe_cache_clusters(xml, cut, 0, &d, &err);
            else if (files[f].op == 1)
                rc = ecp_parse_reboot_cache_cluster(xml, cut, 0, &r, &err);
            else
                rc = ecp_parse_error(xml, cut, 0, 400, &err);
            if (files[f].op == 2) {
                CHECK(rc == -1 && err.code == EC_ERR_SERVICE);
            } else if (rc == 0) {
                ok++;
            } else {
                bad++;
                CHECK(err.code == EC_ERR_PARSE && err.message[0]);
            }
            ec_describe_cache_clusters_output_free(d);
            ec_reboot_cache_cluster_output_free(r);
        }
        /* Only the prefixes that hold the whole root element parse. */
        if (files[f].op != 2 && stride == 1)
            CHECK(ok >= 1 && ok <= 2 && bad == len + 1 - ok);
        if (files[f].op != 2)
            CHECK(ok >= 1);
        free(xml);
    }
}

static void test_errors(void)
{
    ec_error err = {0};
    size_t len;
    char *xml = load("error-invalid-cache-cluster-state.response.xml", &len);

    CHECK_INT(ecp_parse_error(xml, len, 0, 400, &err), -1);
    CHECK_INT(err.code, EC_ERR_SERVICE);
    CHECK_INT(err.http_status, 400);
    CHECK_STR(err.aws_code, "InvalidCacheClusterState");
    CHECK_STR(err.aws_type, "Sender");
    CHECK_STR(err.request_id, "7d3e5a1c-2b4f-4e8a-b6c9-1f2e3d4c5b6a");
    free(xml);

    /* A body that is not an ErrorResponse: the status stands in for the
     * code and its reason phrase for the message, as botocore does. */
    ec_error_clear(&err);
    {
        static const char html[] = "<html><body>Unavailable</body></html>";

        ecp_parse_error(html, sizeof(html) - 1, 0, 503, &err);
    }
    CHECK_INT(err.code, EC_ERR_SERVICE);
    CHECK_STR(err.aws_code, "503");
    CHECK_STR(err.message, "Service Unavailable");
    ec_error_clear(&err);
    ecp_parse_error("", 0, 0, 502, &err);
    CHECK_STR(err.aws_code, "502");
    CHECK_STR(err.message, "Bad Gateway");
    ec_error_clear(&err);
    ecp_parse_error(NULL, 0, 0, 599, &err);
    CHECK_STR(err.aws_code, "599");
    CHECK_STR(err.message, "");

    /* <Response><Errors><Error> and missing fields. */
    ec_error_clear(&err);
    {
        static const char body[] = "<Response><Errors><Error><Code>Throttling"
                                   "</Code></Error></Errors><RequestID>x"
                                   "</RequestID></Response>";

        ecp_parse_error(body, sizeof(body) - 1, 0, 400, &err);
    }
    CHECK_STR(err.aws_code, "Throttling");
    CHECK_STR(err.message, "Unknown");
    CHECK_STR(err.request_id, "");

    /* XML without an Error element, and a body that is not XML. */
    ec_error_clear(&err);
    ecp_parse_error("<Other><RequestId>r</RequestId></Other>", 39, 0, 400,
                    &err);
    CHECK_STR(err.aws_code, "Unknown");
    CHECK_STR(err.message, "Unknown");
    CHECK_STR(err.request_id, "r");
    ec_error_clear(&err);
    ecp_parse_error("oops", 4, 0, 403, &err);
    CHECK_STR(err.aws_code, "403");
    CHECK_STR(err.message, "Forbidden");
    /* A 5xx with a real ErrorResponse keeps its code. */
    ec_error_clear(&err);
    ecp_parse_error("\n <ErrorResponse><Error><Code>InternalFailure</Code>"
                    "<Message>m</Message></Error></ErrorResponse>",
                    96, 0, 500, &err);
    CHECK_STR(err.aws_code, "InternalFailure");
    CHECK_STR(err.message, "m");
    CHECK_INT(err.http_status, 500);

    /* The first error recorded wins; NULL err is fine. */
    ec_error_clear(&err);
    ecp_error_set(&err, EC_ERR_TIMEOUT, "first");
    ecp_parse_error("", 0, 0, 500, &err);
    CHECK_INT(err.code, EC_ERR_TIMEOUT);
    CHECK_INT(ecp_parse_error("", 0, 0, 500, NULL), -1);
}

static void test_helpers(void)
{
    ec_describe_cache_clusters_output *out = NULL;
    ec_cache_cluster *copy;
    const ec_cache_node *n;
    ec_error err = {0};
    json_t *a, *b;
    char *sa, *sb;
    size_t len;
    char *xml =
        load("describe-cache-clusters.page1-with-marker.response.xml", &len);

    CHECK_INT(ecp_parse_describe_cache_clusters(xml, len, 0, &out, &err), 0);
    CHECK_STR(out->request_id, "0c2f6b0e-6d7a-4e51-8a43-7c9d2e1f3a40");
    CHECK_STR(out->marker, "bXktcmVkaXMtMDAx");
    CHECK_INT(out->cache_clusters.count, 2);
    copy = ec_cache_cluster_dup(out->cache_clusters.items[1]);
    CHECK(copy != NULL);
    CHECK(copy != out->cache_clusters.items[1]);
    CHECK(ec_cache_cluster_dup(NULL) == NULL);
    a = ec_cache_cluster_to_json(out->cache_clusters.items[1], EC_JSON_SNAKE);
    b = ec_cache_cluster_to_json(copy, EC_JSON_SNAKE);
    sa = ec_json_dumps_aws(a);
    sb = ec_json_dumps_aws(b);
    CHECK_STR(sa, sb);
    CHECK(strstr(sa, "\"replication_group_id\"") != NULL);
    free(sa);
    free(sb);
    json_decref(a);
    json_decref(b);

    n = ec_cache_cluster_find_node(out->cache_clusters.items[0], "0002");
    CHECK(n && strcmp(n->cache_node_id, "0002") == 0);
    CHECK(n && n->endpoint && n->endpoint->port.value == 11211);
    CHECK(ec_cache_cluster_find_node(out->cache_clusters.items[0], "0009") ==
          NULL);
    CHECK(ec_cache_cluster_find_node(NULL, "0001") == NULL);
    a = ec_cache_node_to_json(n, EC_JSON_AWS);
    CHECK(a && json_object_get(a, "CacheNodeId"));
    json_decref(a);

    ec_cache_cluster_free(copy);
    ec_cache_cluster_free(NULL);
    ec_describe_cache_clusters_output_free(out);
    ec_describe_cache_clusters_output_free(NULL);
    free(xml);
}

/* argv[1]: test every Nth prefix only (the valgrind build uses 7). */
/* SlotMigration.ProgressPercentage, the model's one double: what Python's
 * float() takes (printed as its repr), and what it refuses or what is not
 * finite, refused here. */
static char *progress_json(const char *text, ec_error *err)
{
    ec_describe_replication_groups_output *out = NULL;
    char xml[1024];
    const ec_replication_group *g;
    char *s = NULL;
    json_t *j;

    snprintf(xml, sizeof(xml),
             "<DescribeReplicationGroupsResponse><DescribeReplicationGroupsRe"
             "sult><ReplicationGroups><ReplicationGroup><PendingModifiedValue"
             "s><Resharding><SlotMigration><ProgressPercentage>%s</ProgressPe"
             "rcentage></SlotMigration></Resharding></PendingModifiedValues><"
             "/ReplicationGroup></ReplicationGroups></DescribeReplicationGrou"
             "psResult></DescribeReplicationGroupsResponse>",
             text);
    if (ecp_parse_describe_replication_groups(xml, strlen(xml), 0, &out, err) !=
        0)
        return NULL;
    g = out->replication_groups.items[0];
    j = json_pack("{s:o}", "v", ec_replication_group_to_json(g, EC_JSON_AWS));
    s = j ? ec_json_dumps_aws(json_object_get(
                json_object_get(
                    json_object_get(json_object_get(json_object_get(j, "v"),
                                                    "PendingModifiedValues"),
                                    "Resharding"),
                    "SlotMigration"),
                "ProgressPercentage"))
          : NULL;
    json_decref(j);
    ec_describe_replication_groups_output_free(out);
    return s;
}

static void test_doubles(void)
{
    static const struct {
        const char *text, *want;
    } ok[] = {
        {"45.5", "45.5\n"},
        {" 1_000.25\n", "1000.25\n"},
        {"1e-320", "1e-320\n"},
        {"-0", "-0.0\n"},
        {".5", "0.5\n"},
        {"5.", "5.0\n"},
        {"1E+2_0", "1e+20\n"},
        {"007.50", "7.5\n"},
        {"0.1", "0.1\n"},
        {"123456789012345678", "1.2345678901234568e+17\n"},
    };
    static const char *const refused[] = {
        "inf",  "nan",   "-Infinity", "1e999", "",  "1__0", "_1",   "1_",
        "0x10", "1.2.3", "1e",        "e5",    ".", "1_.5", "1._5", "+",
    };
    ec_error err;
    char *s;

    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        ec_error_clear(&err);
        s = progress_json(ok[i].text, &err);
        if (!s)
            fprintf(stderr, "\"%s\": %s\n", ok[i].text, err.message);
        CHECK_STR(s, ok[i].want);
        free(s);
    }
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        ec_error_clear(&err);
        s = progress_json(refused[i], &err);
        CHECK(s == NULL);
        CHECK_INT(err.code, EC_ERR_PARSE);
        CHECK(strstr(err.message, "ProgressPercentage is not a finite number"));
        free(s);
    }
}

/* A cluster-mode-enabled group as check_elasticache -G judges it: its
 * node groups (shards) with their status and slots, members without
 * CurrentRole or ReadEndpoint (AWS gives those only for cluster mode
 * disabled), the configuration endpoint, and find_member across shards. */
static void test_cluster_mode_enabled_group(void)
{
    ec_describe_replication_groups_output *out = NULL;
    const ec_replication_group *g = NULL;
    const ec_node_group *ng = NULL, *found = NULL;
    const ec_node_group_member *m;
    ec_error err = {0};
    size_t len;
    char *xml = load("describe-replication-groups.response.xml", &len);

    CHECK_INT(ecp_parse_describe_replication_groups(xml, len, 0, &out, &err),
              0);
    for (size_t i = 0; out && i < out->replication_groups.count; i++)
        if (strcmp(out->replication_groups.items[i]->replication_group_id,
                   "shop-cme") == 0)
            g = out->replication_groups.items[i];
    CHECK(g != NULL);
    if (!g)
        goto out;
    CHECK(g->cluster_enabled.set && g->cluster_enabled.value);
    CHECK_INT(g->member_clusters.count, 4);
    CHECK_INT(g->node_groups.count, 2);
    CHECK(g->configuration_endpoint != NULL);
    if (g->configuration_endpoint) {
        CHECK_STR(g->configuration_endpoint->address,
                  "clustercfg.shop-cme.x1y2z3.use1.cache.amazonaws.com");
        CHECK(g->configuration_endpoint->port.set);
        CHECK_INT(g->configuration_endpoint->port.value, 6379);
    }
    if (g->node_groups.count != 2)
        goto out;
    ng = g->node_groups.items[1];
    CHECK_STR(ng->node_group_id, "0002");
    CHECK_STR(ng->status, "modifying");
    CHECK_STR(ng->slots, "8192-16383");
    CHECK(ng->primary_endpoint == NULL);
    CHECK_INT(ng->node_group_members.count, 2);
    for (size_t i = 0; i < ng->node_group_members.count; i++) {
        m = ng->node_group_members.items[i];
        CHECK(m->current_role == NULL);
        CHECK(m->read_endpoint == NULL);
        CHECK_STR(m->cache_node_id, "0001");
    }
    m = ec_replication_group_find_member(g, "SHOP-CME-0002-002", &found);
    CHECK(m != NULL && found == ng);
    if (m)
        CHECK_STR(m->preferred_availability_zone, "us-east-1a");
out:
    ec_describe_replication_groups_output_free(out);
    free(xml);
}

int main(int argc, char **argv)
{
    long stride = argc > 1 ? strtol(argv[1], NULL, 10) : 1;

    test_scalars();
    test_text();
    test_unknown_and_namespaces();
    test_malformed();
    test_truncation(stride > 0 ? (size_t)stride : 1);
    test_errors();
    test_helpers();
    test_doubles();
    test_cluster_mode_enabled_group();
    return test_status("xml");
}
