/* mon_plan_cluster: TLS and AUTH per cluster from the API and the forcing
 * options, and token files per cluster (mon_token_map_parse). */
#include <stdlib.h>
#include <string.h>

#include "cluster.h"
#include "rows.h"
#include "testutil.h"

typedef struct plan_case {
    const char *name;
    const char *engine, *api;
    int tls, auth;
    bool auth_user, have_token;
    /* what the probe does */
    bool tls_on, contradicts, auth_on, token_missing;
    mon_api_tls api_tls;
} plan_case;

static const plan_case cases[] = {
    {"plain cluster", "redis", NULL, -1, -1, false, true, false, false, false,
     false, MON_API_TLS_OFF},
    {"API says nothing at all: plain", "redis", "unset", -1, -1, false, true,
     false, false, false, false, MON_API_TLS_OFF},
    {"TLS, no mode: required", "redis", "tls", -1, -1, false, true, true, false,
     false, false, MON_API_TLS_REQUIRED},
    {"TLS required", "redis", "tls-required", -1, -1, false, true, true, false,
     false, false, MON_API_TLS_REQUIRED},
    {"TLS preferred: TLS, the way the cluster goes", "redis", "tls-preferred",
     -1, -1, false, true, true, false, false, false, MON_API_TLS_PREFERRED},
    {"--tls on a plain cluster: contradicts", "redis", NULL, 1, -1, false, true,
     true, true, false, false, MON_API_TLS_OFF},
    {"--no-tls on a required cluster: contradicts", "redis", "tls", 0, -1,
     false, true, false, true, false, false, MON_API_TLS_REQUIRED},
    {"--no-tls on a preferred cluster: fine", "redis", "tls-preferred", 0, -1,
     false, true, false, false, false, false, MON_API_TLS_PREFERRED},
    {"--tls on a preferred cluster: fine", "redis", "tls-preferred", 1, -1,
     false, true, true, false, false, false, MON_API_TLS_PREFERRED},
    {"--tls on a TLS cluster: fine", "memcached", "tls", 1, -1, false, true,
     true, false, false, false, MON_API_TLS_REQUIRED},
    {"AuthTokenEnabled with a token: AUTH", "redis", "auth", -1, -1, false,
     true, false, false, true, false, MON_API_TLS_OFF},
    {"a token, no AuthTokenEnabled: no AUTH (a mixed fleet)", "redis", NULL, -1,
     -1, false, true, false, false, false, false, MON_API_TLS_OFF},
    {"AuthTokenEnabled, no token: missing", "redis", "auth", -1, -1, false,
     false, false, false, false, true, MON_API_TLS_OFF},
    {"--auth without AuthTokenEnabled: AUTH", "redis", NULL, -1, 1, false, true,
     false, false, true, false, MON_API_TLS_OFF},
    {"--no-auth with AuthTokenEnabled: none", "redis", "auth", -1, 0, false,
     true, false, false, false, false, MON_API_TLS_OFF},
    {"--auth-user (RBAC, AuthTokenEnabled false): AUTH", "redis", NULL, -1, -1,
     true, true, false, false, true, false, MON_API_TLS_OFF},
    {"memcached never sends AUTH", "memcached", "auth", -1, 1, false, true,
     false, false, false, false, MON_API_TLS_OFF},
    {"valkey speaks RESP", "valkey", "tls auth", -1, -1, false, true, true,
     false, true, false, MON_API_TLS_REQUIRED},
};

static void test_plans(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const plan_case *pc = &cases[i];
        fixture f;
        mon_plan_options po = {pc->tls, pc->auth, pc->auth_user,
                               pc->have_token};
        node_row none[1] = {{NULL, NULL, NULL, 0, 0}};
        const mon_plan *p = &f.plan;

        fixture_build(&f, pc->engine, "available", pc->api, none, &po);
        if (p->tls != pc->tls_on || p->tls_contradicts != pc->contradicts ||
            p->auth != pc->auth_on || p->token_missing != pc->token_missing ||
            p->api_tls != pc->api_tls)
            fprintf(stderr, "case '%s'\n", pc->name);
        CHECK(p->probeable);
        CHECK_INT(p->tls, pc->tls_on);
        CHECK_INT(p->tls_contradicts, pc->contradicts);
        CHECK_INT(p->auth, pc->auth_on);
        CHECK_INT(p->token_missing, pc->token_missing);
        CHECK_INT(p->api_tls, pc->api_tls);
    }
}

static void test_token_map(void)
{
    mon_token_entry *map = NULL;
    size_t n = 0;
    char why[128] = "";

    CHECK_INT(mon_token_map_parse("# tokens per cluster\n"
                                  "\n"
                                  "sessions  /etc/ec/sessions.token\n"
                                  "  cart\tcart.token   # relative\n"
                                  "queue /q # trailing comment\r\n",
                                  "/etc/ec", &map, &n, why, sizeof(why)),
              0);
    CHECK_INT(n, 3);
    if (n == 3) {
        CHECK_STR(map[0].cluster_id, "sessions");
        CHECK_STR(map[0].path, "/etc/ec/sessions.token");
        CHECK_STR(map[1].cluster_id, "cart");
        CHECK_STR(map[1].path, "/etc/ec/cart.token");
        CHECK_STR(map[2].path, "/q");
    }
    for (size_t i = 0; i < n; i++) {
        free(map[i].cluster_id);
        free(map[i].path);
    }
    free(map);
    CHECK_INT(mon_token_map_parse("ok /a\nonly-an-id\n", "/", &map, &n, why,
                                  sizeof(why)),
              -1);
    CHECK_STR(why, "line 2: want \"CLUSTER_ID TOKEN_FILE\"");
    CHECK(map == NULL && n == 0);
    CHECK_INT(
        mon_token_map_parse("a /x extra\n", "/", &map, &n, why, sizeof(why)),
        -1);
    CHECK_STR(why, "line 1: want \"CLUSTER_ID TOKEN_FILE\"");
    CHECK_INT(mon_token_map_parse("", "/", &map, &n, why, sizeof(why)), 0);
    CHECK_INT(n, 0);
}

int main(void)
{
    test_plans();
    test_token_map();
    return test_status("plan");
}
