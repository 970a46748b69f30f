/* SPDX-License-Identifier: Apache-2.0 */
/* ec_client_new's checks, validation before any request, and the retry
 * loop (attempt count, backoff bounds through the sleep hook, debug lines
 * without secrets) against a closed port on 127.0.0.1. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client.h"
#include "testutil.h"

#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define TOKEN "SESSIONTOKENVALUEthatMustNeverBePrinted"

static const char *const env_plain[] = {"AWS_CONFIG_FILE=/dev/null",
                                        "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
                                        "AWS_EC2_METADATA_DISABLED=true", NULL};

static double delays[16];
static int sleeps;
static int debug_lines, debug_leaks, debug_masked;

static void record_sleep(void *userdata, double seconds)
{
    (void)userdata;
    if (sleeps < 16)
        delays[sleeps] = seconds;
    sleeps++;
}

static void record_debug(void *userdata, const char *line)
{
    (void)userdata;
    debug_lines++;
    if (strstr(line, SECRET) || strstr(line, TOKEN))
        debug_leaks++;
    if (strstr(line, "x-amz-security-token:****"))
        debug_masked++;
}

static int closed_port(void)
{
    struct sockaddr_in a = {0};
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0), port;

    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0)
        return 9; /* discard: nothing listens there either */
    port = ntohs(a.sin_port);
    close(fd);
    return port;
}

static ec_config base_config(void)
{
    ec_config cfg = EC_CONFIG_INIT;

    cfg.environ = env_plain;
    cfg.region = "us-east-1";
    cfg.access_key_id = "AKIDEXAMPLE";
    cfg.secret_access_key = SECRET;
    return cfg;
}

static ec_time fixed_clock(void *userdata)
{
    ec_time t = {.set = true, .sec = *(const int64_t *)userdata};

    return t;
}

/* The client's clock is the injected one: what the tools count relative
 * times ("30m") back from. */
static void test_clock(void)
{
    int64_t when = 1700000000;
    ec_config cfg = base_config();
    ec_time t, since;
    ec_client *c;

    cfg.now = fixed_clock;
    cfg.clock_userdata = &when;
    c = ec_client_new(&cfg, NULL);
    CHECK(c != NULL);
    t = ec_client_now(c);
    CHECK(t.set && t.sec == when);
    CHECK_INT(ec_time_parse_since("30m", ec_client_now(c), &since, NULL), 0);
    CHECK_INT(since.sec, when - 1800);
    ec_client_free(c);
    t = ec_client_now(NULL);
    CHECK(t.set && t.sec > when);
}

static void test_new(void)
{
    ec_config cfg = base_config();
    ec_client *c;
    ec_error err;

    ec_error_clear(&err);
    cfg.region = NULL;
    CHECK(ec_client_new(&cfg, &err) == NULL);
    CHECK_INT(err.code, EC_ERR_CONFIG);
    CHECK(strstr(err.message, "You must specify a region") != NULL);

    ec_error_clear(&err);
    cfg.region = "us-east-1";
    cfg.access_key_id = cfg.secret_access_key = NULL;
    CHECK(ec_client_new(&cfg, &err) == NULL);
    CHECK_INT(err.code, EC_ERR_CREDENTIALS);
    CHECK(strstr(err.message, "Unable to locate credentials") != NULL);

    cfg = base_config();
    ec_error_clear(&err);
    cfg.region = "us_east_1";
    CHECK(ec_client_new(&cfg, &err) == NULL);
    CHECK_INT(err.code, EC_ERR_CONFIG);

    ec_error_clear(&err);
    cfg.region = "us-east-1";
    cfg.endpoint_url = "gopher://x";
    CHECK(ec_client_new(&cfg, &err) == NULL);
    CHECK_INT(err.code, EC_ERR_CONFIG);

    cfg.endpoint_url = NULL;
    cfg.region = "cn-north-1";
    c = ec_client_new(&cfg, NULL);
    CHECK(c != NULL);
    CHECK_STR(ec_client_region(c), "cn-north-1");
    CHECK_STR(ec_client_endpoint(c),
              "https://elasticache.cn-north-1.amazonaws.com.cn");
    CHECK_INT((long long)ec_client_request_count(c), 0);
    ec_client_free(c);
    ec_client_free(NULL);
    CHECK(ec_client_region(NULL) == NULL);

    /* A config without struct_size is refused before anything else. */
    cfg = base_config();
    cfg.struct_size = 0;
    ec_error_clear(&err);
    CHECK(ec_client_new(&cfg, &err) == NULL);
    CHECK_INT(err.code, EC_ERR_INVALID_ARGUMENT);
    CHECK_STR(err.message,
              "struct_size not set: initialise ec_config with EC_CONFIG_INIT");
    /* NULL is every default: here, no region. */
    ec_error_clear(&err);
    CHECK(ec_client_new(NULL, &err) == NULL);
    CHECK_INT(err.code, EC_ERR_CONFIG);

    /* The User-Agent suffix goes into a header: no control character, a
     * bounded length; otherwise it follows the library's own after a
     * space, as botocore's user_agent_extra. */
    {
        char big[600];

        cfg = base_config();
        cfg.user_agent_extra = "team-x\r\nX-Injected: 1";
        ec_error_clear(&err);
        CHECK(ec_client_new(&cfg, &err) == NULL);
        CHECK_INT(err.code, EC_ERR_CONFIG);
        CHECK_STR(err.message, "the user_agent_extra has a control character "
                               "(a line break?); refusing to send it in a "
                               "header");
        memset(big, 'x', sizeof(big) - 1);
        big[sizeof(big) - 1] = '\0';
        cfg.user_agent_extra = big;
        ec_error_clear(&err);
        CHECK(ec_client_new(&cfg, &err) == NULL);
        CHECK_INT(err.code, EC_ERR_CONFIG);
        cfg.user_agent_extra = "team-x/1.2";
        c = ec_client_new(&cfg, NULL);
        CHECK(c != NULL);
        if (c) {
            size_t n = strlen(c->user_agent);
            CHECK(strncmp(c->user_agent, "libelasticache/", 15) == 0);
            CHECK(n > 12 &&
                  strcmp(c->user_agent + n - 12, ") team-x/1.2") == 0);
        }
        ec_client_free(c);
    }
}

static void test_validation_first(void)
{
    ec_config cfg = base_config();
    ec_client *c;
    ec_error err;
    const char *nodes[] = {"0001", "01"};
    ec_reboot_cache_cluster_input rin = {sizeof(rin), "demo", nodes, 2};
    ec_reboot_cache_cluster_output *rout = NULL;
    ec_describe_cache_clusters_input din =
        EC_DESCRIBE_CACHE_CLUSTERS_INPUT_INIT;
    ec_describe_cache_clusters_output *dout = NULL;
    ec_describe_replication_groups_input gin =
        EC_DESCRIBE_REPLICATION_GROUPS_INPUT_INIT;
    ec_describe_replication_groups_output *gout = NULL;
    ec_modify_replication_group_input min =
        EC_MODIFY_REPLICATION_GROUP_INPUT_INIT;
    ec_modify_replication_group_output *mout = NULL;

    /* Any request would fail loudly here: nothing listens. */
    cfg.endpoint_url = "http://127.0.0.1:9";
    c = ec_client_new(&cfg, NULL);
    CHECK(c != NULL);
    ec_error_clear(&err);
    CHECK_INT(ec_reboot_cache_cluster(c, &rin, &rout, &err), -1);
    CHECK_INT(err.code, EC_ERR_INVALID_ARGUMENT);
    CHECK_STR(err.operation, "RebootCacheCluster");
    ec_error_clear(&err);
    rin.cache_node_id_count = 0;
    CHECK_INT(ec_reboot_cache_cluster(c, &rin, &rout, &err), -1);
    CHECK_INT(err.code, EC_ERR_INVALID_ARGUMENT);
    ec_error_clear(&err);
    rin.cache_cluster_id = "demo-";
    rin.cache_node_id_count = 1;
    CHECK_INT(ec_reboot_cache_cluster(c, &rin, &rout, &err), -1);
    CHECK(strstr(err.message, "must not end with a hyphen") != NULL);
    ec_error_clear(&err);
    din.cache_cluster_id = "x_y";
    CHECK_INT(ec_describe_cache_clusters_all(c, &din, &dout, &err), -1);
    CHECK_INT(err.code, EC_ERR_INVALID_ARGUMENT);
    CHECK_STR(err.operation, "DescribeCacheClusters");
    CHECK(dout == NULL && rout == NULL);
    /* An input without struct_size: refused, no request. */
    ec_error_clear(&err);
    din.struct_size = 0;
    din.cache_cluster_id = "demo";
    CHECK_INT(ec_describe_cache_clusters(c, &din, &dout, &err), -1);
    CHECK_INT(err.code, EC_ERR_INVALID_ARGUMENT);
    CHECK_STR(err.operation, "DescribeCacheClusters");
    CHECK(strstr(err.message, "EC_DESCRIBE_CACHE_CLUSTERS_INPUT_INIT") != NULL);

    /* Replication groups: the group id and the new primary's id. */
    ec_error_clear(&err);
    gin.replication_group_id = "rg_1";
    CHECK_INT(ec_describe_replication_groups_all(c, &gin, &gout, &err), -1);
    CHECK_INT(err.code, EC_ERR_INVALID_ARGUMENT);
    CHECK_STR(err.operation, "DescribeReplicationGroups");
    CHECK(strstr(err.message, "Invalid replication group id") != NULL);
    ec_error_clear(&err);
    CHECK_INT(ec_modify_replication_group(c, &min, &mout, &err), -1);
    CHECK_INT(err.code, EC_ERR_INVALID_ARGUMENT);
    CHECK_STR(err.operation, "ModifyReplicationGroup");
    CHECK(strstr(err.message, "Invalid replication group id: it is empty"));
    ec_error_clear(&err);
    min.replication_group_id = "rg-sessions";
    min.primary_cluster_id = "rg-sessions-002-";
    CHECK_INT(ec_modify_replication_group(c, &min, &mout, &err), -1);
    CHECK(strstr(err.message, "Invalid cache cluster id") != NULL);
    ec_error_clear(&err);
    min.struct_size = 0;
    CHECK_INT(ec_modify_replication_group(c, &min, &mout, &err), -1);
    CHECK(strstr(err.message, "EC_MODIFY_REPLICATION_GROUP_INPUT_INIT"));
    ec_error_clear(&err);
    CHECK_INT(ec_modify_replication_group(c, NULL, &mout, &err), -1);
    CHECK_INT(err.code, EC_ERR_INVALID_ARGUMENT);
    CHECK(gout == NULL && mout == NULL);
    CHECK_INT((long long)ec_client_request_count(c), 0);
    ec_client_free(c);
}

static void test_retries(void)
{
    char url[64];
    ec_config cfg = base_config();
    ec_client *c;
    ec_error err;
    ec_describe_cache_clusters_input din =
        EC_DESCRIBE_CACHE_CLUSTERS_INPUT_INIT;
    ec_describe_cache_clusters_output *dout = NULL;
    const char *nodes[] = {"0001"};
    ec_reboot_cache_cluster_input rin = {sizeof(rin), "demo", nodes, 1};
    ec_reboot_cache_cluster_output *rout = NULL;

    snprintf(url, sizeof(url), "http://127.0.0.1:%d", closed_port());
    cfg.endpoint_url = url;
    cfg.sleep = record_sleep;
    cfg.debug = record_debug;
    cfg.session_token = TOKEN;
    c = ec_client_new(&cfg, NULL);
    CHECK(c != NULL);

    /* A refused connection: retried, 3 attempts in standard mode, backoff
     * rand * 2^(n-1). */
    sleeps = 0;
    ec_error_clear(&err);
    CHECK_INT(ec_describe_cache_clusters(c, &din, &dout, &err), -1);
    CHECK_INT(err.code, EC_ERR_TRANSPORT);
    CHECK(strstr(err.message, "Could not connect to the endpoint URL") != NULL);
    CHECK_INT(err.attempts, 3);
    CHECK(!err.maybe_sent);
    CHECK_STR(err.operation, "DescribeCacheClusters");
    CHECK_INT(sleeps, 2);
    CHECK(delays[0] >= 0 && delays[0] < 1);
    CHECK(delays[1] >= 0 && delays[1] < 2);
    CHECK_INT((long long)ec_client_request_count(c), 3);

    /* The request never left: a reboot may be retried as well. */
    sleeps = 0;
    ec_error_clear(&err);
    CHECK_INT(ec_reboot_cache_cluster(c, &rin, &rout, &err), -1);
    CHECK_INT(err.attempts, 3);
    CHECK(!err.maybe_sent);
    CHECK_INT(sleeps, 2);

    CHECK(debug_lines > 0);
    CHECK_INT(debug_leaks, 0);
    CHECK(debug_masked > 0);
    ec_client_free(c);

    /* max_attempts 1: no retry, no sleep. */
    cfg.max_attempts = 1;
    c = ec_client_new(&cfg, NULL);
    sleeps = 0;
    ec_error_clear(&err);
    CHECK_INT(ec_describe_cache_clusters(c, &din, &dout, &err), -1);
    CHECK_INT(err.attempts, 1);
    CHECK_INT(sleeps, 0);
    ec_client_free(c);

    /* Legacy mode: 5 attempts, delays rand * 2^(n-1). */
    cfg.max_attempts = 0;
    cfg.retry_mode = "legacy";
    c = ec_client_new(&cfg, NULL);
    sleeps = 0;
    ec_error_clear(&err);
    CHECK_INT(ec_describe_cache_clusters(c, &din, &dout, &err), -1);
    CHECK_INT(err.attempts, 5);
    CHECK_INT(sleeps, 4);
    CHECK(delays[3] >= 0 && delays[3] < 8);
    ec_client_free(c);
}

int main(void)
{
    test_new();
    test_clock();
    test_validation_first();
    test_retries();
    return test_status("client");
}
