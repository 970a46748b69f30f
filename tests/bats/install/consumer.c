/* SPDX-License-Identifier: Apache-2.0 */
/* A program outside the project, built against the installed library: it
 * uses each kind of type the ABI rule names (docs/ABI.md). */
#include <stdio.h>
#include <string.h>

#include <elasticache/elasticache.h>

int main(void)
{
    char id[64];
    ec_error err = {0};
    ec_config cfg = EC_CONFIG_INIT;
    ec_client *client;

    if (ec_validate_cache_cluster_id("My-Cluster", id, sizeof(id), &err) != 0)
        return 1;
    /* A caller-filled struct without struct_size is refused, not misread. */
    cfg.struct_size = 0;
    if (ec_client_new(&cfg, &err) != NULL ||
        err.code != EC_ERR_INVALID_ARGUMENT)
        return 1;
    ec_error_clear(&err);
    cfg = (ec_config){.struct_size = sizeof cfg,
                      .region = "eu-west-1",
                      .access_key_id = "AKIDEXAMPLE",
                      .secret_access_key = "not-a-real-secret"};
    client = ec_client_new(&cfg, &err);
    if (!client)
        return 1;
    printf("%s %s %s\n", ec_version(), id, ec_client_region(client));
    ec_client_free(client);
    return strcmp(id, "my-cluster") == 0 ? 0 : 1;
}
