/* SPDX-License-Identifier: Apache-2.0 */
/*
 * custom-process: the profile's credential_process, split as botocore does
 * (shlex, never a shell), run with stdin from /dev/null and its stderr
 * passed through to ours, stdout read as Version 1 JSON, within a time
 * limit. Credentials with an Expiration are refreshed by running it again.
 */
#include "providers.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "shlex.h"

#define NAME "custom-process"
#define DEFAULT_TIMEOUT 60.0 /* as the AWS SDK for Go's processcreds */
#define OUTPUT_LIMIT (1024 * 1024)

extern char **environ;

typedef struct process_state {
    char **argv;
    char **envp; /* a copy of ec_config.environ, or NULL: the process's */
    double timeout;
} process_state;

static void free_env(char **envp)
{
    size_t i;

    if (!envp)
        return;
    for (i = 0; envp[i]; i++)
        ec_free_secret(envp[i]);
    free(envp);
}

static void process_destroy(void *p)
{
    process_state *s = p;

    if (!s)
        return;
    ecp_argv_free(s->argv);
    free_env(s->envp);
    free(s);
}

static const char *str_member(json_t *doc, const char *name)
{
    return json_string_value(json_object_get(doc, name));
}

int ecp_process_parse(const char *json, size_t len, ecp_credentials *out,
                      ec_error *err)
{
    json_error_t jerr;
    json_t *doc, *version, *exp;
    const char *missing = NULL;
    int rc = -1;

    memset(out, 0, sizeof(*out));
    doc = json_loadb(json, len, 0, &jerr);
    if (!json_is_object(doc)) {
        ecp_json_decref_wiped(doc);
        return ecp_error_set(err, EC_ERR_CREDENTIALS,
                             NAME ": the credential_process output is not a "
                                  "JSON object%s%s",
                             jerr.text[0] ? ": " : "", jerr.text);
    }
    /* botocore: parsed.get('Version') != 1 (1.0 is 1 to Python). */
    version = json_object_get(doc, "Version");
    if (!version || !json_is_number(version) ||
        json_number_value(version) != 1.0) {
        char shown[40] = "<Version key not provided>";

        if (json_is_integer(version))
            snprintf(shown, sizeof(shown), "%lld",
                     (long long)json_integer_value(version));
        else if (json_is_string(version))
            snprintf(shown, sizeof(shown), "%.30s", json_string_value(version));
        else if (version)
            snprintf(shown, sizeof(shown), "(not a number)");
        ecp_error_set(err, EC_ERR_CREDENTIALS,
                      NAME ": Unsupported version '%s' for credential process "
                           "provider, supported versions: 1",
                      shown);
        goto out;
    }
    if (!str_member(doc, "AccessKeyId"))
        missing = "AccessKeyId";
    else if (!str_member(doc, "SecretAccessKey"))
        missing = "SecretAccessKey";
    if (missing) {
        ecp_error_set(err, EC_ERR_CREDENTIALS,
                      NAME ": Missing required key in response: '%s'", missing);
        goto out;
    }
    if (ecp_credentials_set(out, NAME, str_member(doc, "AccessKeyId"),
                            str_member(doc, "SecretAccessKey"),
                            str_member(doc, "SessionToken"), "AccessKeyId",
                            "SecretAccessKey", err) <= 0) {
        if (err && err->code == EC_OK)
            ecp_error_set(err, EC_ERR_CREDENTIALS,
                          NAME ": AccessKeyId and SecretAccessKey are empty");
        goto out;
    }
    exp = json_object_get(doc, "Expiration");
    if (exp && !json_is_null(exp)) {
        if (!json_is_string(exp) ||
            ecp_parse_expiration(json_string_value(exp), &out->expiration) !=
                0) {
            ecp_credentials_clear(out);
            ecp_error_set(err, EC_ERR_CREDENTIALS,
                          NAME ": the Expiration is not an ISO 8601 "
                               "timestamp");
            goto out;
        }
        out->expires = true;
    }
    rc = 0;
out:
    ecp_json_decref_wiped(doc);
    return rc;
}

static double monotonic(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Wait for `pid` until `deadline` (monotonic seconds). 1 with *status when
 * it ended, 0 on timeout. */
static int wait_until(pid_t pid, double deadline, int *status)
{
    for (;;) {
        pid_t r = waitpid(pid, status, WNOHANG);
        struct timespec ts = {0, 10 * 1000 * 1000};

        if (r == pid)
            return 1;
        if (r < 0 && errno != EINTR)
            return 1; /* reaped elsewhere: nothing left to wait for */
        if (monotonic() >= deadline)
            return 0;
        nanosleep(&ts, NULL);
    }
}

static void kill_group(pid_t pid)
{
    int status;

    /* The helper runs in its own process group: end the whole of it. */
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
}

static int spawn(const process_state *s, int *out_fd, pid_t *pid, ec_error *err)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t none, all;
    int pipefd[2] = {-1, -1}, devnull = -1, rc;

    if (pipe(pipefd) != 0)
        return ecp_error_set(err, EC_ERR_CREDENTIALS,
                             NAME ": cannot make a pipe: %s", strerror(errno));
    /* Not inherited by anything else this process starts. */
    (void)fcntl(pipefd[0], F_SETFD, FD_CLOEXEC);
    (void)fcntl(pipefd[1], F_SETFD, FD_CLOEXEC);
    devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (devnull < 0) {
        close(pipefd[0]);
        close(pipefd[1]);
        return ecp_error_set(err, EC_ERR_CREDENTIALS,
                             NAME ": cannot open /dev/null: %s",
                             strerror(errno));
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    /* stdin: nothing to read (never the tool's own input); stdout: the
     * pipe; stderr: ours, so the helper's messages reach the operator. */
    posix_spawn_file_actions_adddup2(&fa, devnull, 0);
    posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
                                        POSIX_SPAWN_SETSIGDEF |
                                        POSIX_SPAWN_SETPGROUP);
    rc = posix_spawnp(pid, s->argv[0], &fa, &attr, s->argv,
                      s->envp ? s->envp : environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    close(devnull);
    close(pipefd[1]);
    if (rc != 0) {
        close(pipefd[0]);
        return ecp_error_set(err, EC_ERR_CREDENTIALS,
                             NAME ": cannot run credential_process \"%s\": %s",
                             s->argv[0], strerror(rc));
    }
    *out_fd = pipefd[0];
    return 0;
}

static int process_fetch(ecp_provider *self, const ecp_io *io,
                         ecp_credentials *out, ec_error *err)
{
    process_state *s = self->state;
    double deadline = monotonic() + s->timeout;
    ecp_buf output = {0};
    pid_t pid;
    int fd = -1, status = 0, rc = -1;
    bool done = false;

    ecp_io_debug(io, NAME ": running credential_process (%s)", s->argv[0]);
    if (spawn(s, &fd, &pid, err) != 0)
        return -1;
    output.limit = OUTPUT_LIMIT;
    while (!done) {
        struct pollfd p = {fd, POLLIN, 0};
        double left = deadline - monotonic();
        char chunk[4096];
        ssize_t n;
        int pr;

        if (left <= 0)
            break;
        pr = poll(&p, 1, (int)(left * 1000.0) + 1);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr <= 0)
            continue;
        n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0) {
            done = true;
        } else if (ecp_buf_append(&output, chunk, (size_t)n) != 0) {
            ec_wipe(chunk, sizeof(chunk));
            close(fd);
            kill_group(pid);
            ecp_buf_free(&output);
            return ecp_error_set(err, EC_ERR_CREDENTIALS,
                                 NAME ": credential_process \"%s\" wrote more "
                                      "than %d bytes",
                                 s->argv[0], OUTPUT_LIMIT);
        }
        ec_wipe(chunk, sizeof(chunk));
    }
    close(fd);
    if (!done || !wait_until(pid, deadline, &status)) {
        kill_group(pid);
        ecp_buf_free(&output);
        return ecp_error_set(err, EC_ERR_CREDENTIALS,
                             NAME ": credential_process \"%s\" did not finish "
                                  "within %g s; it was killed",
                             s->argv[0], s->timeout);
    }
    if (WIFSIGNALED(status)) {
        ecp_error_set(err, EC_ERR_CREDENTIALS,
                      NAME ": Error when retrieving credentials from " NAME
                           ": credential_process \"%s\" was killed by signal "
                           "%d",
                      s->argv[0], WTERMSIG(status));
    } else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
        ecp_error_set(err, EC_ERR_CREDENTIALS,
                      NAME ": Error when retrieving credentials from " NAME
                           ": credential_process \"%s\" exited with status "
                           "%d (its messages, if any, are on standard error)",
                      s->argv[0], WEXITSTATUS(status));
    } else {
        rc = ecp_process_parse(output.data ? output.data : "", output.len, out,
                               err);
    }
    ecp_buf_free(&output);
    return rc;
}

static int copy_env(const char *const *envp, char ***out, ec_error *err)
{
    size_t n = 0, i;

    *out = NULL;
    if (!envp)
        return 0;
    while (envp[n])
        n++;
    *out = calloc(n + 1, sizeof(**out));
    if (!*out)
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    for (i = 0; i < n; i++) {
        (*out)[i] = ecp_strdup(envp[i]);
        if (!(*out)[i]) {
            free_env(*out);
            *out = NULL;
            return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
        }
    }
    return 0;
}

int ecp_select_process(ecp_select *sel, ecp_provider **out, ec_error *err)
{
    const char *command = ecp_select_profile(sel, "credential_process");
    const ec_config *cfg = sel->ctx->config;
    process_state *s;
    size_t argc = 0;
    ec_error serr;

    if (!command) {
        ecp_select_skip(sel, NAME, NULL);
        return 0;
    }
    s = calloc(1, sizeof(*s));
    if (!s)
        return ecp_error_set(err, EC_ERR_NOMEM, "out of memory");
    ec_error_clear(&serr);
    if (ecp_shlex_split(command, &s->argv, &argc, &serr) != 0) {
        process_destroy(s);
        return ecp_error_set(
            err, serr.code == EC_ERR_NOMEM ? EC_ERR_NOMEM : EC_ERR_CONFIG,
            NAME ": cannot split the credential_process of "
                 "profile \"%s\": %s",
            sel->profile, serr.message);
    }
    if (argc == 0) {
        process_destroy(s);
        return ecp_error_set(err, EC_ERR_CONFIG,
                             NAME ": the credential_process of profile \"%s\" "
                                  "is empty",
                             sel->profile);
    }
    if (copy_env(cfg ? cfg->environ : NULL, &s->envp, err) != 0) {
        process_destroy(s);
        return -1;
    }
    s->timeout = cfg && cfg->credential_process_timeout > 0
                     ? cfg->credential_process_timeout
                     : DEFAULT_TIMEOUT;
    *out = ecp_provider_new(NAME, process_fetch, process_destroy, s, err);
    if (!*out)
        return -1;
    return ecp_provider_describe(out, err, "%s (%zu arguments), timeout %g s",
                                 s->argv[0], argc - 1, s->timeout);
}
