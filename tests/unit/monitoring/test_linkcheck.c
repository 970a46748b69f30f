/* SPDX-License-Identifier: Apache-2.0 */
/* mon_link_synced: when the replica link check of a rolling reboot takes a
 * replica as holding its primary's whole dataset, from real INFO
 * replication texts (parsed by the library's ec_redis_replication_parse).
 * Anything short of role:slave, master_link_status:up and
 * master_sync_in_progress:0 is not synced (fail closed). */
#include <string.h>

#include "linkcheck.h"
#include "testutil.h"

static int synced(const char *info, char *detail, size_t size)
{
    ec_redis_replication *r = NULL;
    ec_error err = {0};
    bool ok;

    if (ec_redis_replication_parse(info, strlen(info), &r, &err) != 0)
        return -1;
    ok = mon_link_synced(r, detail, size);
    ec_redis_replication_free(r);
    return ok ? 1 : 0;
}

int main(void)
{
    char d[200];

    /* linked, nothing in flight */
    CHECK_INT(synced("# Replication\r\nrole:slave\r\nmaster_host:10.0.0.1\r\n"
                     "master_port:6379\r\nmaster_link_status:up\r\n"
                     "master_last_io_seconds_ago:1\r\n"
                     "master_sync_in_progress:0\r\n",
                     d, sizeof(d)),
              1);
    CHECK_STR(d, "role:slave master_link_status:up master_sync_in_progress:0");
    /* just restarted: the link is down, the full sync not begun (what the
     * API calls available) */
    CHECK_INT(
        synced("role:slave\r\nmaster_host:10.0.0.1\r\nmaster_port:6379\r\n"
               "master_link_status:down\r\nmaster_last_io_seconds_ago:-1\r\n"
               "master_sync_in_progress:0\r\n",
               d, sizeof(d)),
        0);
    CHECK_STR(d,
              "role:slave master_link_status:down master_sync_in_progress:0");
    /* the full sync under way */
    CHECK_INT(synced("role:slave\r\nmaster_link_status:down\r\n"
                     "master_sync_in_progress:1\r\n",
                     d, sizeof(d)),
              0);
    /* up but still loading what it received */
    CHECK_INT(synced("role:slave\r\nmaster_link_status:up\r\n"
                     "master_sync_in_progress:1\r\n",
                     d, sizeof(d)),
              0);
    /* no master_sync_in_progress at all: not taken as synced */
    CHECK_INT(synced("role:slave\r\nmaster_link_status:up\r\n", d, sizeof(d)),
              0);
    CHECK_STR(d, "role:slave master_link_status:up master_sync_in_progress:-");
    /* a primary (a member promoted under the run) is no synced replica */
    CHECK_INT(synced("role:master\r\nconnected_slaves:2\r\n", d, sizeof(d)), 0);
    /* no answer */
    CHECK(!mon_link_synced(NULL, d, sizeof(d)));
    CHECK_STR(d, "no INFO replication answer");
    return test_status("linkcheck");
}
