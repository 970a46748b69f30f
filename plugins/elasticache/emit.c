/*
 * Where every response of the `elasticache` CLI goes: --query, then the
 * --output format (json, text, table, yaml, yaml-stream), written to stdout
 * as awscli/formatter.py writes it. The formatters themselves are the
 * static library in output/; this file only routes to them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "output.h"

/* What ArgumentGenerator puts in an output skeleton for every timestamp:
 * datetime(1970, 1, 1), which json.dumps writes as isoformat() ...
 * (cli_output.skeleton_dates) */
static const char skeleton_iso[] = "1970-01-01T00:00:00";
/* ... and str() (text, table) and ruamel (a plain YAML timestamp) as: */
static const char skeleton_str[] = "1970-01-01 00:00:00";

static const struct {
    const char *name;
    cli_format format;
} formats[] = {
    {"json", CLI_FORMAT_JSON},
    {"text", CLI_FORMAT_TEXT},
    {"table", CLI_FORMAT_TABLE},
    {"yaml", CLI_FORMAT_YAML},
    {"yaml-stream", CLI_FORMAT_YAML_STREAM},
};

const char *const cli_format_names[] = {"json", "text", "table", "yaml",
                                        "yaml-stream"};
const size_t cli_format_count =
    sizeof(cli_format_names) / sizeof(cli_format_names[0]);

static bool format_by_name(const char *name, cli_format *out)
{
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
        if (strcmp(formats[i].name, name) == 0) {
            *out = formats[i].format;
            return true;
        }
    return false;
}

int cli_output_resolve(cli_output *out, const cli_val *global,
                       const ec_client *client)
{
    const char *name;

    /* The AWS CLI's chain: --output, AWS_DEFAULT_OUTPUT (set, even
     * empty), the profile's `output`, json. --output was checked against
     * its choices when the command line was parsed; the others are only
     * checked by get_formatter ("Unknown output type"). */
    if (global[G_OUTPUT].seen)
        name = global[G_OUTPUT].str;
    else if (getenv("AWS_DEFAULT_OUTPUT"))
        name = getenv("AWS_DEFAULT_OUTPUT");
    else if (client && ec_client_profile_setting(client, "output"))
        name = ec_client_profile_setting(client, "output");
    else
        name = "json";
    if (!format_by_name(name, &out->format)) {
        /* The AWS CLI finds this out only after the call, when it formats
         * the response; we say it before sending anything. */
        fprintf(stderr, "\nUnknown output type: %s\n", name);
        return CLI_EXIT_OTHER;
    }
    out->resolved = true;
    return 0;
}

/* Write what a formatter produced, even when it failed half way (Python
 * writes as it goes), then its error. */
static int flush_formatted(ecp_pyout *text, int rc, const eco_error *err)
{
    if (text->data && text->len)
        fwrite(text->data, 1, text->len, stdout);
    ecp_pyout_free(text);
    if (rc != 0) {
        fflush(stdout);
        fprintf(stderr, "\n%s\n", err->message);
        return CLI_EXIT_OTHER;
    }
    return CLI_EXIT_OK;
}

static int nomem(void)
{
    fputs("\nelasticache: out of memory\n", stderr);
    return CLI_EXIT_OTHER;
}

/* A copy of v with every skeleton timestamp string replaced by `with`
 * (text and table print str(datetime)). New reference, NULL: no memory. */
static json_t *replace_dates(json_t *v, const char *with)
{
    json_t *copy, *item;
    const char *key;
    size_t i;

    if (json_is_string(v) && strcmp(json_string_value(v), skeleton_iso) == 0)
        return json_string(with);
    if (json_is_array(v)) {
        copy = json_array();
        json_array_foreach(v, i, item)
        {
            if (!copy || json_array_append_new(copy, replace_dates(item, with)))
                goto fail;
        }
        return copy;
    }
    if (json_is_object(v)) {
        copy = json_object();
        json_object_foreach(v, key, item)
        {
            if (!copy ||
                json_object_set_new(copy, key, replace_dates(item, with)))
                goto fail;
        }
        return copy;
    }
    return json_incref(v);
fail:
    json_decref(copy);
    return NULL;
}

/* ruamel writes a datetime as a plain timestamp; the string we stand it in
 * with is quoted by the YAML formatter because it looks like one. In an
 * output skeleton no other string has that value. */
static void unquote_dates(ecp_pyout *text)
{
    static const char quoted[] = "'1970-01-01 00:00:00'";
    const size_t qlen = sizeof(quoted) - 1;
    size_t r = 0, w = 0;

    if (!text->data)
        return;
    while (r < text->len) {
        if (text->len - r >= qlen &&
            memcmp(text->data + r, quoted, qlen) == 0) {
            memcpy(text->data + w, quoted + 1, qlen - 2);
            w += qlen - 2;
            r += qlen;
        } else {
            text->data[w++] = text->data[r++];
        }
    }
    text->len = w;
    text->data[w] = '\0';
}

static bool is_container(const json_t *v)
{
    return json_is_object(v) || json_is_array(v);
}

/* --query on one value: a new reference, or NULL after printing the error
 * as the AWS CLI does (255). */
static json_t *apply_query(const cli_output *out, json_t *data)
{
    char *message = NULL;
    ec_error err;
    json_t *result;

    if (!out->query)
        return json_incref(data);
    ec_error_clear(&err);
    result = ec_jmespath_search_message(out->query, data, &message, &err);
    if (!result) {
        fflush(stdout);
        /* Python's whole message (ec_error's is cut). */
        fprintf(stderr, "\n%s\n", message ? message : err.message);
        free(message);
    }
    return result;
}

/* Format one (queried) value in the resolved format. `stream_item`: a
 * yaml-stream page of a paginated response (printed even when {}). */
static int format_value(const cli_output *out, const char *title, json_t *v,
                        bool stream_item)
{
    eco_table_options topt = {0};
    ecp_pyout text = {0};
    eco_error err = {{0}};
    json_t *shown = json_incref(v);
    int rc;

    /* YAMLDumper writes a lone scalar with json.dump, which writes a
     * datetime as isoformat(): only inside a document is it str(). */
    if (out->skeleton_dates &&
        (out->format == CLI_FORMAT_TEXT || out->format == CLI_FORMAT_TABLE ||
         out->format == CLI_FORMAT_YAML_STREAM ||
         (out->format == CLI_FORMAT_YAML && is_container(v)))) {
        json_decref(shown);
        shown = replace_dates(v, skeleton_str);
        if (!shown)
            return nomem();
    }
    switch (out->format) {
    case CLI_FORMAT_TEXT:
        rc = eco_text(shown, &text, &err);
        break;
    case CLI_FORMAT_TABLE:
        topt.terminal_width = eco_terminal_width(STDOUT_FILENO);
        topt.color = out->color;
        /* colorama wraps stdout with autoreset; we never page, so the
         * formatter always writes to that wrapped stdout. */
        topt.color_autoreset = out->color;
        rc = eco_table(shown, title, &topt, &text, &err);
        break;
    case CLI_FORMAT_YAML:
        rc = eco_yaml(shown, &text, &err);
        break;
    case CLI_FORMAT_YAML_STREAM:
        rc = eco_yaml_stream_item(shown, !stream_item, &text, &err);
        break;
    case CLI_FORMAT_JSON:
    default:
        rc = eco_json(shown, &text, &err);
        break;
    }
    json_decref(shown);
    if (out->skeleton_dates && (out->format == CLI_FORMAT_YAML ||
                                out->format == CLI_FORMAT_YAML_STREAM))
        unquote_dates(&text);
    return flush_formatted(&text, rc, &err);
}

int cli_emit(const cli_ctx *ctx, const char *title, json_t *response)
{
    json_t *result;
    int rc;

    if (!response)
        return nomem();
    result = apply_query(ctx->output, response);
    json_decref(response);
    if (!result)
        return CLI_EXIT_OTHER;
    rc = format_value(ctx->output, title, result, false);
    json_decref(result);
    return rc;
}

bool cli_emit_by_page(const cli_ctx *ctx)
{
    return ctx->output->format == CLI_FORMAT_TEXT ||
           ctx->output->format == CLI_FORMAT_YAML_STREAM;
}

int cli_emit_page(const cli_ctx *ctx, const char *title, json_t *page,
                  const char *result_key)
{
    json_t *shown, *result;
    int rc;

    if (ctx->output->format == CLI_FORMAT_TEXT) {
        /* TextFormatter: only the page's result key, as
         * set_value_from_jmespath puts it into the page's own dict (None
         * when the page has none); the markers stay out. */
        json_t *items = json_object_get(page, result_key);
        shown = json_object();
        if (!shown ||
            json_object_set_new(shown, result_key,
                                items ? json_incref(items) : json_null())) {
            json_decref(shown);
            return nomem();
        }
    } else {
        /* StreamedYAMLFormatter: the whole page, query applied. */
        shown = json_incref(page);
    }
    result = apply_query(ctx->output, shown);
    json_decref(shown);
    if (!result)
        return CLI_EXIT_OTHER;
    rc = format_value(ctx->output, title, result, true);
    json_decref(result);
    return rc;
}

int cli_emit_resume_token(const cli_ctx *ctx, const char *token)
{
    json_t *doc;

    /* Only the text formatter tells: {'NextToken': {'NextToken': T}},
     * through the query like a page. */
    if (ctx->output->format != CLI_FORMAT_TEXT)
        return CLI_EXIT_OK;
    doc = json_pack("{s:{s:s}}", "NextToken", "NextToken", token);
    if (!doc)
        return nomem();
    json_t *result = apply_query(ctx->output, doc);
    json_decref(doc);
    if (!result)
        return CLI_EXIT_OTHER;
    int rc = format_value(ctx->output, NULL, result, true);
    json_decref(result);
    return rc;
}
