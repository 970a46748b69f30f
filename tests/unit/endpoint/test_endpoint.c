/* SPDX-License-Identifier: Apache-2.0 */
/* Endpoint resolution table: every partition, FIPS, dual-stack, the
 * deprecated pseudo-regions, overrides and bad input. */
#include "endpoint.h"
#include "testutil.h"

struct endpoint_case {
    const char *region;
    const char *endpoint_url;
    bool fips;
    bool dualstack;
    /* expected; url NULL means EC_ERR_CONFIG with `host` as message part */
    const char *url;
    const char *host;
    const char *signing_region;
    const char *request_url;
};

static const struct endpoint_case cases[] = {
    {"us-east-1", NULL, false, false,
     "https://elasticache.us-east-1.amazonaws.com",
     "elasticache.us-east-1.amazonaws.com", "us-east-1",
     "https://elasticache.us-east-1.amazonaws.com/"},
    {"eu-west-3", NULL, false, false,
     "https://elasticache.eu-west-3.amazonaws.com",
     "elasticache.eu-west-3.amazonaws.com", "eu-west-3", NULL},
    {"us-east-1", NULL, true, false,
     "https://elasticache-fips.us-east-1.amazonaws.com",
     "elasticache-fips.us-east-1.amazonaws.com", "us-east-1", NULL},
    {"us-east-1", NULL, false, true, "https://elasticache.us-east-1.api.aws",
     "elasticache.us-east-1.api.aws", "us-east-1", NULL},
    {"us-east-1", NULL, true, true,
     "https://elasticache-fips.us-east-1.api.aws",
     "elasticache-fips.us-east-1.api.aws", "us-east-1", NULL},
    {"cn-north-1", NULL, false, false,
     "https://elasticache.cn-north-1.amazonaws.com.cn",
     "elasticache.cn-north-1.amazonaws.com.cn", "cn-north-1", NULL},
    {"cn-northwest-1", NULL, true, false,
     "https://elasticache-fips.cn-northwest-1.amazonaws.com.cn",
     "elasticache-fips.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1",
     NULL},
    {"cn-north-1", NULL, false, true,
     "https://elasticache.cn-north-1.api.amazonwebservices.com.cn",
     "elasticache.cn-north-1.api.amazonwebservices.com.cn", "cn-north-1", NULL},
    {"us-gov-west-1", NULL, false, false,
     "https://elasticache.us-gov-west-1.amazonaws.com",
     "elasticache.us-gov-west-1.amazonaws.com", "us-gov-west-1", NULL},
    /* GovCloud: FIPS is the same host. */
    {"us-gov-west-1", NULL, true, false,
     "https://elasticache.us-gov-west-1.amazonaws.com",
     "elasticache.us-gov-west-1.amazonaws.com", "us-gov-west-1", NULL},
    {"us-gov-east-1", NULL, true, true,
     "https://elasticache-fips.us-gov-east-1.api.aws",
     "elasticache-fips.us-gov-east-1.api.aws", "us-gov-east-1", NULL},
    {"us-iso-east-1", NULL, false, false,
     "https://elasticache.us-iso-east-1.c2s.ic.gov",
     "elasticache.us-iso-east-1.c2s.ic.gov", "us-iso-east-1", NULL},
    {"us-iso-west-1", NULL, true, false,
     "https://elasticache-fips.us-iso-west-1.c2s.ic.gov",
     "elasticache-fips.us-iso-west-1.c2s.ic.gov", "us-iso-west-1", NULL},
    {"us-isob-east-1", NULL, false, false,
     "https://elasticache.us-isob-east-1.sc2s.sgov.gov",
     "elasticache.us-isob-east-1.sc2s.sgov.gov", "us-isob-east-1", NULL},
    {"us-iso-east-1", NULL, false, true, NULL,
     "DualStack is enabled but this partition does not support DualStack", NULL,
     NULL},
    {"us-isob-east-1", NULL, true, true, NULL,
     "FIPS and DualStack are enabled, but this partition does not support "
     "one or both",
     NULL, NULL},
    /* Unknown region shapes fall back to the aws partition. */
    {"il-central-1", NULL, false, false,
     "https://elasticache.il-central-1.amazonaws.com",
     "elasticache.il-central-1.amazonaws.com", "il-central-1", NULL},
    /* Deprecated pseudo-regions: FIPS on, real region in the scope. */
    {"us-east-1-fips", NULL, false, false,
     "https://elasticache-fips.us-east-1.amazonaws.com",
     "elasticache-fips.us-east-1.amazonaws.com", "us-east-1", NULL},
    {"fips-us-west-2", NULL, false, false,
     "https://elasticache-fips.us-west-2.amazonaws.com",
     "elasticache-fips.us-west-2.amazonaws.com", "us-west-2", NULL},
    {"us-gov-west-1-fips", NULL, false, false,
     "https://elasticache.us-gov-west-1.amazonaws.com",
     "elasticache.us-gov-west-1.amazonaws.com", "us-gov-west-1", NULL},
    /* Overrides: the URL wins over FIPS; region still signs. */
    {"us-east-1", "http://127.0.0.1:4566", false, false,
     "http://127.0.0.1:4566", "127.0.0.1", "us-east-1",
     "http://127.0.0.1:4566/"},
    {"eu-west-1", "https://localhost:8443/base/", true, true,
     "https://localhost:8443/base/", "localhost", "eu-west-1",
     "https://localhost:8443/base/"},
    {"us-east-1", "https://example.test", false, false, "https://example.test",
     "example.test", "us-east-1", "https://example.test/"},
    {"us-east-1", "http://example.test:80/", false, false,
     "http://example.test:80/", "example.test", "us-east-1",
     "http://example.test/"},
    {"us-east-1", "http://[::1]:9000", false, false, "http://[::1]:9000",
     "[::1]", "us-east-1", "http://[::1]:9000/"},
    {"us-east-1", "ftp://example.test", false, false, NULL,
     "must start with http:// or https://", NULL, NULL},
    {"us-east-1", "example.test", false, false, NULL,
     "must start with http:// or https://", NULL, NULL},
    {"us-east-1", "http://", false, false, NULL, "no valid host name", NULL,
     NULL},
    {"us-east-1", "http://h:0", false, false, NULL, "bad port", NULL, NULL},
    {"us-east-1", "http://h:99999", false, false, NULL, "bad port", NULL, NULL},
    {"us-east-1", "http://h:12x", false, false, NULL, "bad port", NULL, NULL},
    {"us-east-1", "http://user@h", false, false, NULL, "user names", NULL,
     NULL},
    {"us-east-1", "http://h/?a=b", false, false, NULL, "query or fragment",
     NULL, NULL},
    {"us-east-1", "http://h o/", false, false, NULL, "bad character", NULL,
     NULL},
    /* Bad regions. */
    {"", NULL, false, false, NULL, "You must specify a region", NULL, NULL},
    {"us east 1", NULL, false, false, NULL,
     "Provided region_name 'us east 1' doesn't match a supported format.", NULL,
     NULL},
    {"us-east-1/../x", NULL, false, false, NULL, "doesn't match", NULL, NULL},
    {"-us-east-1", NULL, false, false, NULL, "doesn't match", NULL, NULL},
    {"us-east-1.evil.com", NULL, false, false, NULL, "doesn't match", NULL,
     NULL},
    {"a123456789012345678901234567890123456789012345678901234567890123", NULL,
     false, false, NULL, "doesn't match", NULL, NULL},
};

/* The credential providers' services share the rule-set shape: STS
 * keeps GovCloud's regular host for FIPS as ElastiCache does, the SSO
 * portal does not. */
static void test_services(void)
{
    static const struct {
        const char *service, *region;
        bool fips, dualstack;
        const char *url, *signing_service;
    } svc[] = {
        {"sts", "eu-west-1", false, false,
         "https://sts.eu-west-1.amazonaws.com", "sts"},
        {"sts", "us-gov-west-1", true, false,
         "https://sts.us-gov-west-1.amazonaws.com", "sts"},
        {"sts", "us-east-1", true, true, "https://sts-fips.us-east-1.api.aws",
         "sts"},
        {"portal.sso", "eu-west-1", false, false,
         "https://portal.sso.eu-west-1.amazonaws.com", "awsssoportal"},
        {"portal.sso", "us-gov-west-1", true, false,
         "https://portal.sso-fips.us-gov-west-1.amazonaws.com", "awsssoportal"},
        {"portal.sso", "cn-north-1", false, false,
         "https://portal.sso.cn-north-1.amazonaws.com.cn", "awsssoportal"},
        {"elasticache", "us-east-1", false, false,
         "https://elasticache.us-east-1.amazonaws.com", "elasticache"},
    };
    size_t i;

    for (i = 0; i < sizeof(svc) / sizeof(svc[0]); i++) {
        ecp_endpoint_input in = {svc[i].region, NULL, svc[i].fips,
                                 svc[i].dualstack, svc[i].service};
        ecp_endpoint ep;

        CHECK_INT(ecp_endpoint_resolve(&in, &ep, NULL), 0);
        CHECK_STR(ep.url, svc[i].url);
        CHECK_STR(ep.signing_service, svc[i].signing_service);
    }
    {
        ecp_endpoint_input in = {"us-east-1", NULL, false, false, "s3"};
        ecp_endpoint ep;
        ec_error err;

        ec_error_clear(&err);
        CHECK_INT(ecp_endpoint_resolve(&in, &ep, &err), -1);
        CHECK(strstr(err.message, "no endpoint rules for s3") != NULL);
    }
}

int main(void)
{
    size_t i;

    test_services();

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct endpoint_case *c = &cases[i];
        ecp_endpoint_input in = {c->region, c->endpoint_url, c->fips,
                                 c->dualstack, NULL};
        ecp_endpoint ep;
        ec_error err;
        int rc;

        ec_error_clear(&err);
        rc = ecp_endpoint_resolve(&in, &ep, &err);
        if (c->url) {
            if (rc != 0)
                fprintf(stderr, "case %zu (%s): %s\n", i, c->region,
                        err.message);
            CHECK_INT(rc, 0);
            CHECK_STR(ep.url, c->url);
            CHECK_STR(ep.host, c->host);
            CHECK_STR(ep.signing_region, c->signing_region);
            CHECK_STR(ep.signing_service, "elasticache");
            if (c->request_url)
                CHECK_STR(ep.request_url, c->request_url);
        } else {
            CHECK_INT(rc, -1);
            CHECK_INT(err.code, EC_ERR_CONFIG);
            if (!strstr(err.message, c->host))
                fprintf(stderr, "case %zu (%s): message \"%s\"\n", i, c->region,
                        err.message);
            CHECK(strstr(err.message, c->host) != NULL);
        }
    }
    {
        /* Host header: port only when not the scheme's default. */
        ecp_endpoint_input in = {"us-east-1", "https://127.0.0.1:443", false,
                                 false, NULL};
        ecp_endpoint ep;

        CHECK_INT(ecp_endpoint_resolve(&in, &ep, NULL), 0);
        CHECK_STR(ep.host_header, "127.0.0.1");
        in.endpoint_url = "https://127.0.0.1:8443";
        CHECK_INT(ecp_endpoint_resolve(&in, &ep, NULL), 0);
        CHECK_STR(ep.host_header, "127.0.0.1:8443");
        CHECK_INT(ep.port, 8443);
        CHECK(ep.https);
        in.endpoint_url = NULL;
        CHECK_INT(ecp_endpoint_resolve(&in, &ep, NULL), 0);
        CHECK_STR(ep.host_header, "elasticache.us-east-1.amazonaws.com");
        CHECK_STR(ep.partition, "aws");
    }
    return test_status("endpoint");
}
