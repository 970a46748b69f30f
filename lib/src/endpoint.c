/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Endpoint resolution for ElastiCache, as botocore's partitions.json and
 * the service's endpoint-rule-set-1.json define it. Pure: no DNS, no I/O.
 */
#include "endpoint.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct partition {
    const char *name;
    const char *prefix; /* region matches PREFIX\w+-\d+ */
    const char *dns_suffix;
    const char *dualstack_suffix;
    bool dualstack;
} partition;

/* partitions.json order: the first match wins, aws is the fallback. The
 * aws regex is ^(us|eu|ap|sa|ca|me|af)-\w+-\d+$. */
static const partition partitions[] = {
    {"aws", "us-", "amazonaws.com", "api.aws", true},
    {"aws", "eu-", "amazonaws.com", "api.aws", true},
    {"aws", "ap-", "amazonaws.com", "api.aws", true},
    {"aws", "sa-", "amazonaws.com", "api.aws", true},
    {"aws", "ca-", "amazonaws.com", "api.aws", true},
    {"aws", "me-", "amazonaws.com", "api.aws", true},
    {"aws", "af-", "amazonaws.com", "api.aws", true},
    {"aws-cn", "cn-", "amazonaws.com.cn", "api.amazonwebservices.com.cn", true},
    {"aws-us-gov", "us-gov-", "amazonaws.com", "api.aws", true},
    {"aws-iso", "us-iso-", "c2s.ic.gov", "c2s.ic.gov", false},
    {"aws-iso-b", "us-isob-", "sc2s.sgov.gov", "sc2s.sgov.gov", false},
};

/* The services whose endpoints are resolved here: their rule sets differ
 * only in the host prefix, the signing name, and whether GovCloud's FIPS
 * endpoint is the regular one (ElastiCache, STS) or a -fips host (SSO). */
typedef struct service_rules {
    const char *prefix;
    const char *signing_name;
    bool gov_fips_is_regular;
} service_rules;

static const service_rules services[] = {
    {"elasticache", "elasticache", true},
    {"sts", "sts", true},
    {"portal.sso", "awsssoportal", false},
};

static const service_rules *find_service(const char *name)
{
    size_t i;

    if (!name)
        return &services[0];
    for (i = 0; i < sizeof(services) / sizeof(services[0]); i++)
        if (strcmp(services[i].prefix, name) == 0)
            return &services[i];
    return NULL;
}

static bool is_word(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* Does `rest` match \w+-\d+$ ? */
static bool word_dash_digits(const char *rest)
{
    const char *p = rest, *dash;

    if (!is_word(*p))
        return false;
    while (is_word(*p))
        p++;
    if (*p != '-')
        return false;
    dash = p++;
    if (!isdigit((unsigned char)*p))
        return false;
    while (isdigit((unsigned char)*p))
        p++;
    return *p == '\0' && dash > rest;
}

static const partition *find_partition(const char *region)
{
    size_t i;

    for (i = 0; i < sizeof(partitions) / sizeof(partitions[0]); i++) {
        size_t n = strlen(partitions[i].prefix);

        if (strncmp(region, partitions[i].prefix, n) == 0 &&
            word_dash_digits(region + n))
            return &partitions[i];
    }
    return &partitions[0];
}

/* botocore's validate_region_name:
 * ^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$ */
static bool valid_region(const char *r)
{
    size_t i, n = strlen(r);

    if (n == 0 || n > 63)
        return false;
    for (i = 0; i < n; i++)
        if (!isalnum((unsigned char)r[i]) && r[i] != '-')
            return false;
    return r[0] != '-' && r[n - 1] != '-' && (unsigned char)r[0] < 128;
}

static int copy(char *dst, size_t size, const char *src, size_t n)
{
    if (n >= size)
        return -1;
    memcpy(dst, src, n);
    dst[n] = '\0';
    return 0;
}

static int parse_url(const char *url, ecp_endpoint *out, ec_error *err)
{
    const char *p, *auth_end, *host_end, *path_end;
    size_t n;

    if (strncasecmp(url, "https://", 8) == 0) {
        out->https = true;
        p = url + 8;
    } else if (strncasecmp(url, "http://", 7) == 0) {
        out->https = false;
        p = url + 7;
    } else {
        return ecp_error_set(err, EC_ERR_CONFIG,
                             "Invalid endpoint: %s (it must start with "
                             "http:// or https://)",
                             url);
    }
    out->port = out->https ? 443 : 80;
    auth_end = p + strcspn(p, "/?#");
    if (memchr(p, '@', (size_t)(auth_end - p)))
        return ecp_error_set(err, EC_ERR_CONFIG,
                             "Invalid endpoint: %s (user names in the URL are "
                             "not supported)",
                             url);
    if (*p == '[') {
        host_end = memchr(p, ']', (size_t)(auth_end - p));
        if (!host_end)
            return ecp_error_set(err, EC_ERR_CONFIG,
                                 "Invalid endpoint: %s (unclosed '[')", url);
        host_end++;
    } else {
        host_end = p;
        while (host_end < auth_end && *host_end != ':')
            host_end++;
    }
    if (host_end == p ||
        copy(out->host, sizeof(out->host), p, (size_t)(host_end - p)) != 0)
        return ecp_error_set(err, EC_ERR_CONFIG,
                             "Invalid endpoint: %s (no valid host name)", url);
    for (n = 0; out->host[n]; n++) {
        unsigned char c = (unsigned char)out->host[n];

        if (!(isalnum(c) || c == '.' || c == '-' || c == '_' || c == '[' ||
              c == ']' || c == ':'))
            return ecp_error_set(err, EC_ERR_CONFIG,
                                 "Invalid endpoint: %s (bad character in the "
                                 "host name)",
                                 url);
    }
    if (host_end < auth_end) {
        char *end;
        long port;

        if (*host_end != ':' || host_end + 1 == auth_end)
            return ecp_error_set(err, EC_ERR_CONFIG,
                                 "Invalid endpoint: %s (bad port)", url);
        port = strtol(host_end + 1, &end, 10);
        if (end != auth_end || port < 1 || port > 65535 ||
            !isdigit((unsigned char)host_end[1]))
            return ecp_error_set(err, EC_ERR_CONFIG,
                                 "Invalid endpoint: %s (bad port)", url);
        out->port = (int)port;
    }
    path_end = auth_end + strcspn(auth_end, "?#");
    if (*path_end)
        return ecp_error_set(err, EC_ERR_CONFIG,
                             "Invalid endpoint: %s (a query or fragment is "
                             "not supported)",
                             url);
    if (path_end == auth_end)
        snprintf(out->path, sizeof(out->path), "/");
    else if (copy(out->path, sizeof(out->path), auth_end,
                  (size_t)(path_end - auth_end)) != 0)
        return ecp_error_set(err, EC_ERR_CONFIG,
                             "Invalid endpoint: %s "
                             "(path too long)",
                             url);
    return 0;
}

static int finish(ecp_endpoint *out, const service_rules *svc, ec_error *err)
{
    int n;

    /* Host header as botocore sends it: the port only when it is not the
     * scheme's default. */
    if (out->port == (out->https ? 443 : 80))
        n = snprintf(out->host_header, sizeof(out->host_header), "%s",
                     out->host);
    else
        n = snprintf(out->host_header, sizeof(out->host_header), "%s:%d",
                     out->host, out->port);
    if (n < 0 || (size_t)n >= sizeof(out->host_header))
        return ecp_error_set(err, EC_ERR_CONFIG, "endpoint host too long");
    n = snprintf(out->request_url, sizeof(out->request_url), "%s://%s%s",
                 out->https ? "https" : "http", out->host_header, out->path);
    if (n < 0 || (size_t)n >= sizeof(out->request_url))
        return ecp_error_set(err, EC_ERR_CONFIG, "endpoint URL too long");
    snprintf(out->signing_service, sizeof(out->signing_service), "%s",
             svc->signing_name);
    return 0;
}

int ecp_endpoint_resolve(const ecp_endpoint_input *in, ecp_endpoint *out,
                         ec_error *err)
{
    char region[64];
    const char *r = in->region;
    bool fips = in->use_fips;
    const service_rules *svc = find_service(in->service);
    const char *prefix;
    const partition *part;
    size_t n;
    int len;

    memset(out, 0, sizeof(*out));
    if (!svc)
        return ecp_error_set(err, EC_ERR_CONFIG, "no endpoint rules for %s",
                             in->service);
    prefix = svc->prefix;
    if (!r || !r[0])
        return ecp_error_set(err, EC_ERR_CONFIG,
                             "You must specify a region. You can also "
                             "configure your region by running \"aws "
                             "configure\".");
    if (!valid_region(r))
        return ecp_error_set(err, EC_ERR_CONFIG,
                             "Provided region_name '%.80s' doesn't match a "
                             "supported format.",
                             r);
    /* Deprecated pseudo-regions "fips-X" and "X-fips": region X, FIPS on
     * (botocore's _normalize_fips_region). */
    n = strlen(r);
    if (strncmp(r, "fips-", 5) == 0) {
        r += 5;
        n -= 5;
        fips = true;
    }
    if (n > 5 && strcmp(r + n - 5, "-fips") == 0) {
        n -= 5;
        fips = true;
    }
    if (n == 0 || copy(region, sizeof(region), r, n) != 0)
        return ecp_error_set(err, EC_ERR_CONFIG,
                             "Provided region_name '%s' doesn't match a "
                             "supported format.",
                             in->region);
    snprintf(out->signing_region, sizeof(out->signing_region), "%s", region);

    if (in->endpoint_url && in->endpoint_url[0]) {
        /* botocore passes FIPS and dual-stack as false when an endpoint
         * is given (args.py): the override wins. */
        if (strlen(in->endpoint_url) >= sizeof(out->url))
            return ecp_error_set(err, EC_ERR_CONFIG, "endpoint URL too long");
        snprintf(out->url, sizeof(out->url), "%s", in->endpoint_url);
        if (parse_url(in->endpoint_url, out, err) != 0)
            return -1;
        return finish(out, svc, err);
    }

    part = find_partition(region);
    snprintf(out->partition, sizeof(out->partition), "%s", part->name);
    if (in->use_dualstack && !part->dualstack)
        return ecp_error_set(err, EC_ERR_CONFIG,
                             fips ? "FIPS and DualStack are enabled, but this "
                                    "partition does not support one or both"
                                  : "DualStack is enabled but this partition "
                                    "does not support DualStack");
    if (fips && in->use_dualstack)
        len = snprintf(out->host, sizeof(out->host), "%s-fips.%s.%s", prefix,
                       region, part->dualstack_suffix);
    else if (fips && svc->gov_fips_is_regular &&
             strcmp(part->name, "aws-us-gov") == 0)
        /* GovCloud's regular endpoint is FIPS-validated already. */
        len = snprintf(out->host, sizeof(out->host), "%s.%s.%s", prefix, region,
                       part->dns_suffix);
    else if (fips)
        len = snprintf(out->host, sizeof(out->host), "%s-fips.%s.%s", prefix,
                       region, part->dns_suffix);
    else if (in->use_dualstack)
        len = snprintf(out->host, sizeof(out->host), "%s.%s.%s", prefix, region,
                       part->dualstack_suffix);
    else
        len = snprintf(out->host, sizeof(out->host), "%s.%s.%s", prefix, region,
                       part->dns_suffix);
    if (len < 0 || (size_t)len >= sizeof(out->host))
        return ecp_error_set(err, EC_ERR_CONFIG, "endpoint host too long");
    out->https = true;
    out->port = 443;
    snprintf(out->path, sizeof(out->path), "/");
    snprintf(out->url, sizeof(out->url), "https://%s", out->host);
    return finish(out, svc, err);
}
