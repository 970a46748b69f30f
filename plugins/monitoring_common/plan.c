/* How to probe a cluster and what a probe means (see plan.h). Pure. */
#include "plan.h"

#include "cluster.h"

#include <string.h>
#include <strings.h>

int mon_probe_kind(const ec_cache_cluster *cluster, ec_probe_kind *kind)
{
    const char *e = cluster->engine ? cluster->engine : "";

    if (strcasecmp(e, "memcached") == 0) {
        *kind = EC_PROBE_MEMCACHED;
        return 0;
    }
    /* Valkey speaks RESP like Redis. */
    if (strcasecmp(e, "redis") == 0 || strcasecmp(e, "valkey") == 0) {
        *kind = EC_PROBE_REDIS;
        return 0;
    }
    return -1;
}

void mon_plan_cluster(const ec_cache_cluster *cl, const mon_plan_options *o,
                      mon_plan *out)
{
    bool want_auth;

    memset(out, 0, sizeof(*out));
    out->probeable = mon_probe_kind(cl, &out->kind) == 0;
    if (cl->transit_encryption_enabled.set &&
        cl->transit_encryption_enabled.value)
        out->api_tls =
            cl->transit_encryption_mode &&
                    strcasecmp(cl->transit_encryption_mode, "preferred") == 0
                ? MON_API_TLS_PREFERRED
                : MON_API_TLS_REQUIRED;
    else
        out->api_tls = MON_API_TLS_OFF;
    if (o->tls >= 0) {
        out->tls = o->tls == 1;
        out->tls_forced = true;
        out->tls_contradicts =
            (out->tls && out->api_tls == MON_API_TLS_OFF) ||
            (!out->tls && out->api_tls == MON_API_TLS_REQUIRED);
    } else {
        /* "preferred" accepts both: TLS, the way the cluster is going */
        out->tls = out->api_tls != MON_API_TLS_OFF;
    }
    out->api_auth = cl->auth_token_enabled.set && cl->auth_token_enabled.value;
    if (out->kind != EC_PROBE_REDIS || !out->probeable)
        return; /* memcached has no AUTH */
    if (o->auth >= 0) {
        want_auth = o->auth == 1;
        out->auth_forced = true;
    } else {
        /* RBAC users come with AuthTokenEnabled false */
        want_auth = out->api_auth || o->auth_user;
    }
    out->auth = want_auth && o->have_token;
    out->token_missing = want_auth && !o->have_token;
}

bool mon_node_silent(mon_node_class cls)
{
    return cls == MON_NODE_BROKEN || cls == MON_NODE_NO_CONNECTION;
}

static mon_node_reading reading(mon_node_class cls, const char *what,
                                const char *fix)
{
    mon_node_reading r = {cls, what, fix};

    return r;
}

static mon_node_reading misconfigured(const char *what, const char *fix)
{
    return reading(MON_NODE_MISCONFIGURED, what, fix);
}

/* A node that accepted the connection and then failed, when the forced
 * TLS setting contradicts the API: the setting, not the node. */
static mon_node_reading tls_contradiction(const mon_plan *p)
{
    if (p->tls)
        return misconfigured("no TLS handshake from",
                             "--tls, but the cluster has "
                             "TransitEncryptionEnabled=false: drop --tls");
    return misconfigured("no answer in plain text from",
                         "--no-tls, but the cluster requires TLS "
                         "(TransitEncryptionEnabled=true): drop --no-tls");
}

static mon_node_reading read_auth(const ec_probe_result *r, const mon_plan *p)
{
    if (r->why == EC_PROBE_WHY_AUTH_REQUIRED) {
        if (p->auth_forced && !p->auth && !p->token_missing)
            return misconfigured("AUTH required by",
                                 "--no-auth, but the node wants AUTH: drop "
                                 "--no-auth");
        if (p->api_auth)
            return misconfigured(
                "AUTH required by",
                "the cluster has AuthTokenEnabled=true and no token was "
                "given: --auth-token-file or --auth-token-env "
                "(--auth-token-dir or --auth-token-map with --all)");
        return misconfigured("AUTH required by",
                             "the node wants AUTH although the cluster has "
                             "AuthTokenEnabled=false: give its token and "
                             "--auth (or --auth-user)");
    }
    if (p->auth_forced && !p->api_auth)
        return misconfigured("AUTH refused by",
                             "--auth, but the cluster has "
                             "AuthTokenEnabled=false: drop --auth");
    return misconfigured("AUTH refused by",
                         "the token given for the cluster is wrong "
                         "(--auth-token-file, --auth-token-env, "
                         "--auth-token-dir, --auth-token-map)");
}

static mon_node_reading read_tls(const ec_probe_result *r, const mon_plan *p)
{
    switch (r->why) {
    case EC_PROBE_WHY_TLS_VERIFY:
        return misconfigured("TLS certificate not verified for",
                             "give the CA with --probe-ca-bundle (or "
                             "--probe-no-verify)");
    case EC_PROBE_WHY_TLS_EXPECTED:
        return misconfigured("TLS answer to plain text from",
                             p->tls_forced
                                 ? "the nodes speak TLS: drop --no-tls"
                                 : "the nodes speak TLS although the cluster "
                                   "has TransitEncryptionEnabled=false: use "
                                   "--tls");
    case EC_PROBE_WHY_PLAINTEXT:
        return misconfigured("plain text answer to TLS from",
                             p->tls_forced
                                 ? "the nodes do not speak TLS: drop --tls"
                                 : "the nodes do not speak TLS although the "
                                   "cluster has TransitEncryptionEnabled="
                                   "true: use --no-tls");
    default:
        return misconfigured("TLS failed on",
                             "check --tls/--no-tls and --probe-ca-bundle");
    }
}

mon_node_reading mon_node_read(bool probed, const ec_probe_result *r,
                               const mon_plan *p)
{
    static const mon_plan none = {0};

    if (!p)
        p = &none;
    if (!probed || !r)
        return reading(MON_NODE_UNPROBED, NULL, NULL);
    switch (r->why) {
    case EC_PROBE_WHY_NONE:
        return r->ok ? reading(MON_NODE_OK, NULL, NULL)
                     : reading(MON_NODE_UNPROBED, NULL, NULL);
    case EC_PROBE_WHY_CONNECT_TIMEOUT:
    case EC_PROBE_WHY_NO_ROUTE:
        return reading(MON_NODE_NO_CONNECTION, NULL, NULL);
    case EC_PROBE_WHY_REFUSED:
        /* refused before any TLS: what the node said */
        return reading(MON_NODE_BROKEN, NULL, NULL);
    case EC_PROBE_WHY_CLOSED:
    case EC_PROBE_WHY_SILENT:
    case EC_PROBE_WHY_TLS_SILENT:
        /* A plain text Redis is silent to a TLS hello, a TLS-only one
         * resets plain text: the wire cannot tell that from a hung node,
         * the API can. */
        if (p->tls_contradicts)
            return tls_contradiction(p);
        return reading(MON_NODE_BROKEN, NULL, NULL);
    case EC_PROBE_WHY_TLS_ERROR:
    case EC_PROBE_WHY_TLS_VERIFY:
    case EC_PROBE_WHY_TLS_EXPECTED:
    case EC_PROBE_WHY_PLAINTEXT:
        return read_tls(r, p);
    case EC_PROBE_WHY_AUTH_REFUSED:
    case EC_PROBE_WHY_AUTH_REQUIRED:
        return read_auth(r, p);
    case EC_PROBE_WHY_BUSY:
        return reading(MON_NODE_BUSY, "busy:", NULL);
    case EC_PROBE_WHY_WRONG_ANSWER:
        return misconfigured("wrong answer from",
                             "is the endpoint a node of the cluster's "
                             "engine?");
    case EC_PROBE_WHY_NOT_STARTED:
        return reading(MON_NODE_UNPROBED, NULL, NULL);
    }
    return reading(MON_NODE_UNPROBED, NULL, NULL);
}

void mon_cluster_read(const mon_node_probe *probes, size_t count,
                      const mon_plan *plan, mon_cluster_reading *out)
{
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < count; i++) {
        mon_node_reading nr =
            mon_node_read(probes[i].probed, probes[i].result, plan);

        switch (nr.cls) {
        case MON_NODE_OK:
            out->ok++;
            break;
        case MON_NODE_UNPROBED:
            out->unprobed++;
            break;
        case MON_NODE_BROKEN:
            out->broken++;
            break;
        case MON_NODE_NO_CONNECTION:
            out->no_connection++;
            break;
        case MON_NODE_BUSY:
            out->busy++;
            break;
        case MON_NODE_MISCONFIGURED:
            out->misconfigured++;
            break;
        }
        if (nr.cls != MON_NODE_UNPROBED)
            out->probed++;
    }
    out->path_cut = out->probed > 0 && out->no_connection == out->probed;
}

mon_node_class mon_cluster_node_class(const mon_cluster_reading *cr,
                                      mon_node_reading nr)
{
    if (nr.cls == MON_NODE_NO_CONNECTION && !cr->path_cut)
        return MON_NODE_BROKEN;
    return nr.cls;
}
