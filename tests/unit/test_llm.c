/* Unit tests for core/llm_wire and core/llm_tools: chunk shapes of each server family, error
 * bodies, strict schemas, refused filters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cJSON.h>

#include "dialog.h"
#include "ref.h"
#include "llm_http.h"
#include "llm_tools.h"
#include "llm_wire.h"

static int feed(llm_msg *m, const char *json)
{
	souk_err e;
	size_t from;

	return wire_chunk(m, json, strlen(json), &from, &e);
}

/* OpenAI, llama-server, vLLM: by index, id and name in the first fragment. */
static void test_fragmented_calls(void **state)
{
	llm_msg m;

	(void)state;
	wire_msg_init(&m);
	assert_int_equal(
	        feed(&m, "{\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":null}}]}"),
	        0);
	assert_int_equal(
	        feed(&m, "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c1\","
	                 "\"function\":{\"name\":\"update_filters\",\"arguments\":\"\"}}]}}]}"),
	        0);
	assert_int_equal(
	        feed(&m, "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"c2\","
	                 "\"function\":{\"name\":\"search_summary\",\"arguments\":\"{}\"}}]}}]}"),
	        0);
	assert_int_equal(feed(&m, "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,"
	                          "\"function\":{\"arguments\":\"{\\\"set\\\":{\\\"pri\"}}]}}]}"),
	                 0);
	/* vLLM: finish_reason with the last fragment */
	assert_int_equal(feed(&m, "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,"
	                          "\"function\":{\"arguments\":\"ce_max\\\":8}}\"}}]},"
	                          "\"finish_reason\":\"tool_calls\"}]}"),
	                 0);
	/* the usage chunk has no choices */
	assert_int_equal(feed(&m, "{\"choices\":[],\"usage\":{\"total_tokens\":5}}"), 0);
	assert_int_equal(m.ncalls, 2);
	assert_string_equal(m.calls[0].id, "c1");
	assert_string_equal(m.calls[0].name, "update_filters");
	assert_string_equal(m.calls[0].args.s, "{\"set\":{\"price_max\":8}}");
	assert_string_equal(m.calls[1].name, "search_summary");
	assert_string_equal(m.finish, "tool_calls");
	assert_int_equal(m.content.len, 0);
	wire_msg_free(&m);
}

/* Ollama: the whole call in one chunk without an index; a server that
 * repeats the name in every fragment; arguments as an object. */
static void test_whole_and_odd_calls(void **state)
{
	llm_msg m;

	(void)state;
	wire_msg_init(&m);
	assert_int_equal(
	        feed(&m, "{\"choices\":[{\"delta\":{\"content\":\"\",\"tool_calls\":[{\"id\":\"a\","
	                 "\"function\":{\"name\":\"update_filters\",\"arguments\":\"{}\"}}]},"
	                 "\"finish_reason\":\"stop\"}]}"),
	        0);
	assert_int_equal(
	        feed(&m, "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"id\":\"b\",\"function\":"
	                 "{\"name\":\"compare_offers\",\"arguments\":{\"ranks\":[1]}}}]}}]}"),
	        0);
	assert_int_equal(feed(&m,
	                      "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":"
	                      "{\"name\":\"compare_offers\",\"arguments\":\"\"}}]}}]}"),
	                 0);
	assert_int_equal(m.ncalls, 2);
	assert_string_equal(m.calls[0].args.s, "{}");
	assert_string_equal(m.calls[1].name, "compare_offers");
	assert_string_equal(m.calls[1].args.s, "{\"ranks\":[1]}");
	/* an index past the calls so far is refused */
	assert_int_equal(feed(&m, "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":5}]}}]}"),
	                 WIRE_BAD);
	wire_msg_free(&m);
}

static void test_content_and_cut(void **state)
{
	llm_msg m;
	char *big = malloc(LLM_MAX_REPLY + 100), *json;

	(void)state;
	wire_msg_init(&m);
	assert_int_equal(feed(&m, "{\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}"), 0);
	assert_int_equal(feed(&m, "{\"choices\":[{\"delta\":{\"content\":\"caf\\u00e9 \"}}]}"), 0);
	assert_string_equal(m.content.s, "caf\xC3\xA9 ");
	memset(big, 'x', LLM_MAX_REPLY + 99);
	big[LLM_MAX_REPLY + 99] = '\0';
	json = xasprintf("{\"choices\":[{\"delta\":{\"content\":\"\\u00e9%s\"}}]}", big);
	assert_int_equal(feed(&m, json), 0);
	assert_true(m.cut);
	assert_true(m.content.len <= LLM_MAX_REPLY);
	free(json);
	free(big);
	wire_msg_free(&m);
}

static void test_errors_in_stream(void **state)
{
	llm_msg m;
	souk_err e;
	size_t from;
	static const char *const shapes[] = {
	        "{\"error\":{\"message\":\"Overloaded\"}}",
	        "{\"object\":\"error\",\"message\":\"Overloaded\",\"code\":400}",
	};

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		wire_msg_init(&m);
		assert_int_equal(wire_chunk(&m, shapes[i], strlen(shapes[i]), &from, &e),
		                 WIRE_ERROR);
		assert_non_null(strstr(e.msg, "Overloaded"));
		wire_msg_free(&m);
	}
	wire_msg_init(&m);
	assert_int_equal(wire_chunk(&m, "not json", 8, &from, &e), WIRE_BAD);
	wire_msg_free(&m);
}

static void test_error_bodies(void **state)
{
	static const struct {
		const char *body, *want;
	} cases[] = {
	        {"{\"error\":{\"message\":\"bad key\",\"type\":\"x\"}}", "bad key"},
	        {"{\"error\":\"model crashed\"}", "model crashed"},
	        {"{\"detail\":\"Not Found\"}", "Not Found"},
	        {"{\"detail\":[{\"loc\":[\"body\"],\"msg\":\"field required\"}]}",
	         "field required"},
	        {"{\"object\":\"error\",\"message\":\"dead\"}", "dead"},
	        {"<html>Bad Gateway\x1b[2J</html>", "<html>Bad Gateway"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *m = wire_error_message(cases[i].body, strlen(cases[i].body));
		assert_non_null(strstr(m, cases[i].want));
		assert_null(strchr(m, '\x1b'));
		free(m);
	}
}

static void test_models(void **state)
{
	strlist l = {0};

	(void)state;
	assert_int_equal(wire_models("{\"data\":[{\"id\":\"a\"},{\"id\":\"b\"}]}", &l), 0);
	assert_int_equal(wire_models("{\"models\":[{\"name\":\"llama3.2:latest\"}]}", &l), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[2], "llama3.2:latest");
	assert_int_equal(wire_models("{\"detail\":\"x\"}", &l), -1);
	strlist_clear(&l);
}

static void test_redact(void **state)
{
	char s[] = "Incorrect API key provided: sk-abc12345. Key sk-abc12345 again";

	(void)state;
	http_redact(s, "sk-abc12345");
	assert_null(strstr(s, "sk-abc"));
	assert_non_null(strstr(s, "provided: ***********."));
}

/* OpenAI strict mode: every object closed, every property required. */
/* A reply's figures against what souk sent the model. */
static void test_ungrounded(void **state)
{
	static const char grounds[] = "{\"offers\":1234,\"suppliers\":6,\"price_bands\":"
	                              "{\"2.47-3.10\":4}} certifications: EN71 (12)";
	char *odd;

	(void)state;
	/* counts, a thousands comma, a rounded band edge, a name with digits */
	assert_null(tools_ungrounded("1,234 offers from 6 suppliers, from 2.5 or 3.1 USD; EN71 "
	                             "and 12 with it",
	                             grounds));
	assert_null(tools_ungrounded("no figures at all", grounds));
	/* a precision the sources do not have, and a count from nowhere */
	odd = tools_ungrounded("from 2.50 USD: 99,999 offers, 6 suppliers, 7 countries", grounds);
	assert_string_equal(odd, "2.50, 99,999, 7");
	free(odd);
	/* a range's dash is no minus; at most five are named */
	odd = tools_ungrounded("3-4 1 2 5 8 9 10", "0");
	assert_string_equal(odd, "3, 4, 1, 2, 5");
	free(odd);
	assert_null(tools_ungrounded("10", "9.6"));
}

static void check_strict(const cJSON *schema)
{
	const cJSON *props = cJSON_GetObjectItem(schema, "properties"), *p;
	const cJSON *items = cJSON_GetObjectItem(schema, "items");

	if (props) {
		const cJSON *req = cJSON_GetObjectItem(schema, "required");
		assert_true(cJSON_IsFalse(cJSON_GetObjectItem(schema, "additionalProperties")));
		assert_int_equal(cJSON_GetArraySize(req), cJSON_GetArraySize(props));
		cJSON_ArrayForEach(p, props)
		{
			check_strict(p);
		}
	}
	if (items)
		check_strict(items);
}

static void test_strict_schemas(void **state)
{
	cJSON *tools = tools_schema(), *t, *rf = tools_response_format();
	int n = 0;

	(void)state;
	cJSON_ArrayForEach(t, tools)
	{
		const cJSON *fn = cJSON_GetObjectItem(t, "function");
		assert_true(cJSON_IsTrue(cJSON_GetObjectItem(fn, "strict")));
		check_strict(cJSON_GetObjectItem(fn, "parameters"));
		n++;
	}
	assert_int_equal(n, 4);
	check_strict(cJSON_GetObjectItem(cJSON_GetObjectItem(rf, "json_schema"), "schema"));
	/* every filter field is offered, so the schema follows the filter table */
	assert_int_equal(
	        cJSON_GetArraySize(cJSON_GetObjectItem(
	                cJSON_GetObjectItem(
	                        cJSON_GetObjectItem(
	                                cJSON_GetObjectItem(
	                                        cJSON_GetObjectItem(cJSON_GetArrayItem(tools, 0),
	                                                            "function"),
	                                        "parameters"),
	                                "properties"),
	                        "set"),
	                "properties")),
	        FF_COUNT);
	cJSON_Delete(tools);
	cJSON_Delete(rf);
}

static const char *assets(void)
{
	const char *a = getenv("SOUK_ASSETS");
	return a && *a ? a : "assets";
}

static void test_delta_checks(void **state)
{
	static const struct {
		const char *args, *why; /* why NULL: accepted */
	} cases[] = {
	        {"{\"set\":{\"price_max\":-3},\"clear\":[],\"reset\":false}", "0 or more"},
	        {"{\"set\":{\"supplier_countries\":[\"XQ\"]},\"clear\":[],\"reset\":false}",
	         "'XQ'"},
	        {"{\"set\":{\"market\":\"ZZ\"}}", "'ZZ'"},
	        {"{\"set\":{\"certifications\":[\"Halal-ish\"]}}", "no certification"},
	        {"{\"set\":{\"colour\":\"red\"}}", "unknown filter"},
	        {"{\"set\":{\"quantity\":\"lots\"}}", "expected a number"},
	        {"{\"set\":{\"quantity\":0}}", "0 units"},
	        {"{\"set\":{\"price_min\":9,\"price_max\":3}}", "above price_max"},
	        {"{\"set\":{},\"clear\":[\"nonsense\"]}", "not a filter name"},
	        {"{\"set\":{\"price_max\":4},\"clear\":[\"price_max\"]}", "both set and cleared"},
	        {"{\"set\":{},\"extra\":1}", "unknown argument"},
	        {"[1,2]", "not a JSON object"},
	        {"{\"set\":{\"price_max\":8,\"market\":\"EU\",\"keywords\":null},\"clear\":[\"moq_"
	         "max\"],"
	         "\"reset\":false}",
	         NULL},
	        {"{\"keywords\":[\"yoga\",\"mat\"],\"supplier_countries\":[\"vn\"]}", NULL},
	};
	souk_err e;
	llm_tools t;

	(void)state;
	souk_ref *ref = ref_load(assets(), &e);
	t.d = dialog_new(NULL, ref, &e);
	t.m = NULL;
	t.ref = ref;
	assert_non_null(t.d);
	assert_non_null(t.ref);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		filter_delta d;
		int rc = tools_delta(&t, cases[i].args, &d, &e);
		if (cases[i].why) {
			if (rc != -1 || !strstr(e.msg, cases[i].why))
				fail_msg("%s: rc %d, '%s'", cases[i].args, rc, rc ? e.msg : "");
		} else if (rc != 0)
			fail_msg("%s refused: %s", cases[i].args, e.msg);
		filter_delta_free(&d);
	}
	/* an accepted update changes the state; a refused one leaves it */
	tools_outcome o;
	tools_run(&t, "update_filters", "{\"set\":{\"price_max\":8},\"clear\":[],\"reset\":false}",
	          &o);
	assert_int_equal(o.applied, 1);
	tools_outcome_free(&o);
	tools_run(&t, "update_filters", "{\"set\":{\"price_max\":-1}}", &o);
	assert_int_equal(o.refused, 1);
	assert_non_null(strstr(o.result, "\"error\""));
	tools_outcome_free(&o);
	assert_true(dialog_filter(t.d)->price_max == 8);
	dialog_free(t.d);
	ref_free(ref);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_fragmented_calls), cmocka_unit_test(test_whole_and_odd_calls),
	        cmocka_unit_test(test_content_and_cut),  cmocka_unit_test(test_errors_in_stream),
	        cmocka_unit_test(test_error_bodies),     cmocka_unit_test(test_models),
	        cmocka_unit_test(test_redact),           cmocka_unit_test(test_strict_schemas),
	        cmocka_unit_test(test_delta_checks),     cmocka_unit_test(test_ungrounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
