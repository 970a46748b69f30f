/* A program outside the project, built against the installed library. */
#include <stdio.h>
#include <string.h>

#include <elasticache/elasticache.h>

int main(void)
{
    char id[64];
    ec_error err = {0};

    if (ec_validate_cache_cluster_id("My-Cluster", id, sizeof(id), &err) != 0)
        return 1;
    printf("%s %s\n", ec_version(), id);
    return strcmp(id, "my-cluster") == 0 ? 0 : 1;
}
