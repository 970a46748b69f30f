/* SPDX-License-Identifier: Apache-2.0 */
/* The terminal width the AWS CLI gives tables (awscli.table.
 * determine_terminal_width): stdout's columns, 80 when it is no terminal. */
#include "output.h"

#include <sys/ioctl.h>

int eco_terminal_width(int fd)
{
    struct winsize ws;

    /* Python takes the answer as it is, 0 columns included. */
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0)
        return 80;
    return ws.ws_col;
}
