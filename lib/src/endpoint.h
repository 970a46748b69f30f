/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Endpoint resolution (pure): region + FIPS/dual-stack flags, or an
 * override URL, to the URL, Host header and signing scope of requests.
 * Follows botocore's partitions.json and ElastiCache's endpoint rules.
 */
#ifndef ECP_ENDPOINT_H
#define ECP_ENDPOINT_H

#include <stdbool.h>

#include "util.h"

#define ECP_SERVICE "elasticache"

typedef struct ecp_endpoint_input {
    const char *region;       /* required; "us-east-1-fips" style allowed */
    const char *endpoint_url; /* override, or NULL */
    bool use_fips;
    bool use_dualstack;
    /* The endpoint prefix: NULL or "elasticache", "sts", "portal.sso" (the
     * credential providers' services; each rule set has the same shape). */
    const char *service;
} ecp_endpoint_input;

typedef struct ecp_endpoint {
    char url[2048];         /* the endpoint, as ec_client_endpoint shows */
    char request_url[2048]; /* where requests are POSTed (path included) */
    bool https;
    char host[256];           /* host name or [v6] literal, no port */
    int port;                 /* explicit port, or the scheme's default */
    char host_header[300];    /* host, plus ":port" when not the default */
    char path[1024];          /* request path, "/" at least */
    char partition[16];       /* "aws", "aws-cn", ...; "" for an override */
    char signing_region[64];  /* always the configured (real) region */
    char signing_service[16]; /* "elasticache", "sts", "awsssoportal" */
} ecp_endpoint;

/* EC_ERR_CONFIG for a malformed region or URL, an unknown service, or a
 * flag combination the partition does not support. */
int ecp_endpoint_resolve(const ecp_endpoint_input *in, ecp_endpoint *out,
                         ec_error *err);

#endif
