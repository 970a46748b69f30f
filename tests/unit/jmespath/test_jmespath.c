/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The JMESPath API beyond the compliance suite: argument checks, the
 * versioned option and diagnostic structs, error positions and message
 * truncation, limits against hostile expressions and data, and values
 * shared exactly where Python shares objects (the CLI's YAML output shows
 * them as anchors).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "elasticache/elasticache.h"

#include "../testutil.h"

static json_t *search(const char *expr, const char *data, ec_error *err)
{
    ec_jmespath *jp = ec_jmespath_compile(expr, NULL, NULL, err);
    json_t *doc = json_loads(data, JSON_DECODE_ANY, NULL), *out = NULL;

    if (jp && doc)
        out = ec_jmespath_search(jp, doc, err);
    ec_jmespath_free(jp);
    json_decref(doc);
    return out;
}

/* The same with a budget of work (the limit tests use a small one: the
 * default, 100 million steps, would cost minutes under valgrind). */
static json_t *search_budget(const char *expr, const char *data, uint64_t steps,
                             ec_error *err)
{
    ec_jmespath_options opt = EC_JMESPATH_OPTIONS_INIT;
    ec_jmespath *jp;
    json_t *doc = json_loads(data, JSON_DECODE_ANY, NULL), *out = NULL;

    opt.max_steps = steps;
    jp = ec_jmespath_compile(expr, &opt, NULL, err);
    if (jp && doc)
        out = ec_jmespath_search(jp, doc, err);
    ec_jmespath_free(jp);
    json_decref(doc);
    return out;
}

static char *text(const json_t *v)
{
    return json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
}

static void test_arguments(void)
{
    ec_jmespath_options bad = {0};
    ec_error err = {0};
    json_t *doc = json_object();
    ec_jmespath *jp;

    CHECK(ec_jmespath_compile(NULL, NULL, NULL, &err) == NULL);
    CHECK_INT(err.code, EC_ERR_INVALID_ARGUMENT);
    ec_error_clear(&err);
    CHECK(ec_jmespath_compile("a", &bad, NULL, &err) == NULL);
    CHECK_INT(err.code, EC_ERR_INVALID_ARGUMENT);
    ec_error_clear(&err);
    jp = ec_jmespath_compile("a", NULL, NULL, NULL); /* err may be NULL */
    CHECK(jp != NULL);
    CHECK(ec_jmespath_search(NULL, doc, &err) == NULL);
    CHECK_INT(err.code, EC_ERR_INVALID_ARGUMENT);
    ec_error_clear(&err);
    CHECK(ec_jmespath_search(jp, NULL, &err) == NULL);
    CHECK_INT(err.code, EC_ERR_INVALID_ARGUMENT);
    ec_jmespath_free(jp);
    ec_jmespath_free(NULL);
    json_decref(doc);
    CHECK_STR(ec_strerror(EC_ERR_JMESPATH_SYNTAX),
              "invalid JMESPath expression");
    CHECK_STR(ec_strerror(EC_ERR_JMESPATH_LIMIT), "JMESPath: limit exceeded");
}

static void test_positions(void)
{
    ec_jmespath_diag diag = EC_JMESPATH_DIAG_INIT;
    ec_error err = {0};

    /* Column counts code points, offset bytes: "é" is two bytes. */
    CHECK(ec_jmespath_compile("\"é\".a.1", NULL, &diag, &err) == NULL);
    CHECK_INT(err.code, EC_ERR_JMESPATH_SYNTAX);
    CHECK_INT(diag.column, 6);
    CHECK_INT(diag.offset, 7);
    CHECK_STR(err.message,
              "Expecting: ['quoted_identifier', 'unquoted_identifier', "
              "'lbracket', 'lbrace'], got: number: Parse error at column 6, "
              "token \"1\" (NUMBER), for expression:\n\"\"é\".a.1\"\n"
              "       ^");
    /* Incomplete: at the end; a lexer error: at its token. */
    ec_error_clear(&err);
    CHECK(ec_jmespath_compile("foo[", NULL, &diag, &err) == NULL);
    CHECK_INT(diag.column, 4);
    CHECK_STR(err.message, "Invalid jmespath expression: Incomplete "
                           "expression:\n\"foo[\"\n     ^");
    ec_error_clear(&err);
    CHECK(ec_jmespath_compile("a && `{\"bad`", NULL, &diag, &err) == NULL);
    CHECK_INT(diag.column, 5);
    CHECK_STR(err.message, "Bad jmespath expression: Bad token {\"bad:\n"
                           "a && `{\"bad`\n     ^");
    ec_error_clear(&err);
    CHECK(ec_jmespath_compile("", NULL, &diag, &err) == NULL);
    CHECK_STR(err.message, "Invalid JMESPath expression: cannot be empty.");
    /* A diag from an older caller (only struct_size) is left alone. */
    {
        ec_jmespath_diag old = {
            .struct_size = sizeof(uint32_t), .offset = 77, .column = 77};

        ec_error_clear(&err);
        CHECK(ec_jmespath_compile("a.", NULL, &old, &err) == NULL);
        CHECK_INT(old.offset, 77);
    }
    /* Success clears nothing but reports no position. */
    {
        ec_jmespath *jp = ec_jmespath_compile("a", NULL, &diag, NULL);

        CHECK(jp != NULL);
        CHECK(diag.offset == SIZE_MAX);
        ec_jmespath_free(jp);
    }
    /* Invalid UTF-8 in the expression is a syntax error at its byte. */
    ec_error_clear(&err);
    CHECK(ec_jmespath_compile("ab\xff", NULL, &diag, &err) == NULL);
    CHECK_INT(err.code, EC_ERR_JMESPATH_SYNTAX);
    CHECK_INT(diag.offset, 2);
}

static void test_runtime_errors(void)
{
    ec_error err = {0};
    json_t *out;
    char big[2000];

    out = search("length(nope)", "{}", &err);
    CHECK(out == NULL);
    CHECK_INT(err.code, EC_ERR_JMESPATH_INVALID_TYPE);
    CHECK_STR(err.message, "In function length(), invalid type for value: "
                           "None, expected one of: ['string', 'array', "
                           "'object'], received: \"null\"");
    ec_error_clear(&err);
    CHECK(search("nope()", "{}", &err) == NULL);
    CHECK_INT(err.code, EC_ERR_JMESPATH_UNKNOWN_FUNCTION);
    CHECK_STR(err.message, "Unknown function: nope()");
    ec_error_clear(&err);
    CHECK(search("not_null()", "{}", &err) == NULL);
    CHECK_INT(err.code, EC_ERR_JMESPATH_INVALID_ARITY);
    CHECK_STR(err.message, "Expected at least 1 argument for function "
                           "not_null(), received 0");
    ec_error_clear(&err);
    CHECK(search("a[::0]", "{\"a\": []}", &err) == NULL);
    CHECK_INT(err.code, EC_ERR_JMESPATH_INVALID_VALUE);
    /* ... but only when it meets a list, as in Python. */
    ec_error_clear(&err);
    out = search("a[::0]", "{\"a\": 1}", &err);
    CHECK(out && json_is_null(out));
    json_decref(out);
    /* An unknown function in a projection over nothing is no error. */
    out = search("a[*].nope(@)", "{\"a\": []}", &err);
    CHECK(out && json_array_size(out) == 0);
    json_decref(out);
    /* A message longer than ec_error holds ends in "...". */
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    ec_error_clear(&err);
    {
        char data[2100];

        snprintf(data, sizeof(data), "{\"a\": \"%s\"}", big);
        CHECK(search("abs(a)", data, &err) == NULL);
        CHECK_INT(err.code, EC_ERR_JMESPATH_INVALID_TYPE);
        CHECK_INT(strlen(err.message), EC_ERROR_TEXT_LENGTH - 1);
        CHECK(strcmp(err.message + strlen(err.message) - 3, "...") == 0);
    }
}

static void test_limits(void)
{
    ec_jmespath_options opt = EC_JMESPATH_OPTIONS_INIT;
    ec_error err = {0};
    ec_jmespath *jp;
    size_t n = 20000, i;
    char *expr = malloc(4 * n + 16);
    json_t *doc, *out, *deep;

    /* Nesting: parentheses, pipes (a left-deep tree), filters, literals. */
    for (i = 0; i < n; i++)
        expr[i] = '(';
    expr[n] = 'a';
    for (i = 0; i < n; i++)
        expr[n + 1 + i] = ')';
    expr[2 * n + 1] = '\0';
    CHECK(ec_jmespath_compile(expr, NULL, NULL, &err) == NULL);
    CHECK_INT(err.code, EC_ERR_JMESPATH_LIMIT);
    for (i = 0; i < n; i++) {
        expr[2 * i] = 'a';
        expr[2 * i + 1] = '|';
    }
    expr[2 * n - 1] = '\0';
    ec_error_clear(&err);
    CHECK(ec_jmespath_compile(expr, NULL, NULL, &err) == NULL);
    CHECK_INT(err.code, EC_ERR_JMESPATH_LIMIT);
    expr[0] = '`';
    for (i = 1; i < n; i++)
        expr[i] = '[';
    expr[n] = '`';
    expr[n + 1] = '\0';
    ec_error_clear(&err);
    CHECK(ec_jmespath_compile(expr, NULL, NULL, &err) == NULL);
    CHECK(err.code == EC_ERR_JMESPATH_LIMIT ||
          err.code == EC_ERR_JMESPATH_SYNTAX);
    /* Everything Python accepts compiles: 495 nested parentheses. */
    for (i = 0; i < 495; i++)
        expr[i] = '(';
    expr[495] = 'a';
    for (i = 0; i < 495; i++)
        expr[496 + i] = ')';
    expr[991] = '\0';
    jp = ec_jmespath_compile(expr, NULL, NULL, &err);
    CHECK(jp != NULL);
    ec_jmespath_free(jp);
    free(expr);

    /* Work: a value doubled 60 times is a small graph but 2^60 leaves;
     * to_string, comparing it and returning it must all stop. */
    {
        const char *doubling =
            "[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|"
            "[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|"
            "[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|"
            "[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|"
            "[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|"
            "[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|[@,@]|[@,@]";
        const char *tails[] = {"", "|to_string(@)", "|@==@", "|length(@)",
                               "|sort_by([@], &to_string(@))"};
        char buf[1024];

        for (i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
            snprintf(buf, sizeof(buf), "%s%s", doubling, tails[i]);
            ec_error_clear(&err);
            out = search_budget(buf, "1", 1000000, &err);
            if (i == 3) {
                /* length() of the outer list needs no walk: 2. */
                CHECK(out && json_integer_value(out) == 2);
            } else {
                CHECK(out == NULL);
                CHECK_INT(err.code, EC_ERR_JMESPATH_LIMIT);
            }
            json_decref(out);
        }
    }
    /* A small step budget stops a plain projection too. */
    opt.max_steps = 50;
    jp = ec_jmespath_compile("a[*].b", &opt, NULL, &err);
    doc = json_loads("{\"a\": [{\"b\":1},{\"b\":1},{\"b\":1},{\"b\":1},"
                     "{\"b\":1},{\"b\":1},{\"b\":1},{\"b\":1},{\"b\":1},"
                     "{\"b\":1},{\"b\":1},{\"b\":1},{\"b\":1},{\"b\":1},"
                     "{\"b\":1},{\"b\":1},{\"b\":1},{\"b\":1},{\"b\":1},"
                     "{\"b\":1},{\"b\":1},{\"b\":1},{\"b\":1},{\"b\":1}]}",
                     0, NULL);
    ec_error_clear(&err);
    CHECK(ec_jmespath_search(jp, doc, &err) == NULL);
    CHECK_INT(err.code, EC_ERR_JMESPATH_LIMIT);
    ec_jmespath_free(jp);
    json_decref(doc);
    /* A max_depth option lowers the nesting limit. */
    opt.max_depth = 3;
    ec_error_clear(&err);
    CHECK(ec_jmespath_compile("a.b[0].c | d", &opt, NULL, &err) == NULL);
    CHECK_INT(err.code, EC_ERR_JMESPATH_LIMIT);

    /* Data nested deeper than any walk allows: no stack overflow. */
    deep = json_array();
    doc = deep;
    for (i = 0; i < 100000; i++) {
        json_t *inner = json_array();

        json_array_append_new(doc, inner);
        doc = inner;
    }
    jp = ec_jmespath_compile("@ == @", NULL, NULL, &err);
    ec_error_clear(&err);
    CHECK(ec_jmespath_search(jp, deep, &err) == NULL);
    CHECK_INT(err.code, EC_ERR_JMESPATH_LIMIT);
    ec_jmespath_free(jp);
    jp = ec_jmespath_compile("to_string(@)", NULL, NULL, &err);
    ec_error_clear(&err);
    CHECK(ec_jmespath_search(jp, deep, &err) == NULL);
    ec_jmespath_free(jp);
    jp = ec_jmespath_compile("@", NULL, NULL, &err);
    ec_error_clear(&err);
    CHECK(ec_jmespath_search(jp, deep, &err) == NULL);
    CHECK_INT(err.code, EC_ERR_JMESPATH_LIMIT);
    ec_jmespath_free(jp);
    json_decref(deep);
}

static void test_sharing(void)
{
    ec_error err = {0};
    json_t *doc = json_loads("{\"a\": {\"b\": [1]}, \"e\": []}", 0, NULL);
    ec_jmespath *jp;
    json_t *out, *again;
    char *t;

    /* [a, a]: the same object twice, as Python gives it. */
    jp = ec_jmespath_compile("[a, a, to_array(a.b), sort_by(e, &x)]", NULL,
                             NULL, &err);
    out = ec_jmespath_search(jp, doc, &err);
    CHECK(out != NULL);
    if (out) {
        CHECK(json_array_get(out, 0) == json_object_get(doc, "a"));
        CHECK(json_array_get(out, 1) == json_array_get(out, 0));
        CHECK(json_array_get(out, 2) ==
              json_object_get(json_object_get(doc, "a"), "b"));
        CHECK(json_array_get(out, 3) == json_object_get(doc, "e"));
    }
    json_decref(out);
    ec_jmespath_free(jp);
    /* A literal is the same object on every search; a multiselect new. */
    jp = ec_jmespath_compile("`[1, 2]`", NULL, NULL, &err);
    out = ec_jmespath_search(jp, doc, &err);
    again = ec_jmespath_search(jp, doc, &err);
    CHECK(out && out == again);
    json_decref(out);
    json_decref(again);
    ec_jmespath_free(jp);
    /* An expression reference cannot be printed as JSON. */
    ec_error_clear(&err);
    CHECK(search("[&a]", "{}", &err) == NULL);
    CHECK_INT(err.code, EC_ERR_JMESPATH_INVALID_TYPE);
    CHECK_STR(err.message,
              "Object of type _Expression is not JSON serializable");
    out = search("type(&a)", "{}", &err);
    CHECK(out && json_is_null(out));
    json_decref(out);
    out = search("to_string([&a])", "{}", &err);
    t = out ? text(out) : NULL;
    CHECK_STR(t, "\"[\\\"<jmespath.visitor._Expression object>\\\"]\"");
    free(t);
    json_decref(out);
    json_decref(doc);
}

static void test_numbers(void)
{
    static const struct {
        const char *expr, *want;
    } cases[] = {
        {"avg(`[1, 2]`)", "1.5"},
        {"avg(`[2, 2]`)", "2.0"},
        {"sum(`[1, 2]`)", "3"},
        {"sum(`[1, 2.0]`)", "3.0"},
        {"sum(`[]`)", "0"},
        {"ceil(`1.5`)", "2"},
        {"floor(`-1.5`)", "-2"},
        {"abs(`-2.0`)", "2.0"},
        {"to_number('1_000')", "1000"},
        {"to_number(' 12 ')", "12"},
        {"to_number('1e3')", "1000.0"},
        {"to_number('٣')", "3"},
        {"to_number('inf')", "null"},
        {"to_number('0x10')", "null"},
        {"to_string(`1.0`)", "\"1.0\""},
        {"to_string(`[1e16, 0.0001, -0.0]`)", "\"[1e+16,0.0001,-0.0]\""},
        {"to_string('é')", "\"é\""},
        {"to_string(`[\"é\"]`)", "\"[\\\"\\\\u00e9\\\"]\""},
        {"`1` == `1.0`", "true"},
        {"`0` == `false`", "false"},
        {"`[0]` == `[false]`", "true"},
        {"`9007199254740993` == `9007199254740992.0`", "false"},
        {"`9223372036854775807`", "9223372036854775807"},
        {"sort(`[2, 1.0, 1, 1.5]`)", "[1.0, 1, 1.5, 2]"},
        {"max(`[1, 1.0]`)", "1"},
        {"min(`[1.0, 1]`)", "1.0"},
        {"`[0,1,2,3,4,5]`[::-2]", "[5, 3, 1]"},
        {"`[0,1,2,3,4,5]`[-2:0:-1]", "[4, 3, 2, 1]"},
        {"`[0,1,2,3,4,5]`[99999999999999999999999:]", "[]"},
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ec_error err = {0};
        json_t *out = search(cases[i].expr, "{}", &err);
        char *t =
            out ? json_dumps(out, JSON_ENCODE_ANY | JSON_REAL_PRECISION(17))
                : NULL;

        if (!t || strcmp(t, cases[i].want) != 0)
            fprintf(stderr, "%s: %s\n", cases[i].expr, err.message);
        CHECK_STR(t, cases[i].want);
        free(t);
        json_decref(out);
    }
}

int main(void)
{
    test_arguments();
    test_positions();
    test_runtime_errors();
    test_limits();
    test_sharing();
    test_numbers();
    return test_status("jmespath.api");
}
