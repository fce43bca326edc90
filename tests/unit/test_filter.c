/* Unit tests for core/filter: lists, deltas, JSON round trip, validation, undo. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cJSON.h>

#include "filter.h"
#include "test_assets.h"

static void test_strlist(void **state)
{
	strlist l = {0}, c;

	(void)state;
	strlist_add(&l, "CE");
	strlist_add(&l, "ce"); /* duplicate, case-insensitive */
	strlist_add(&l, "RoHS");
	assert_int_equal(l.n, 2);
	assert_true(strlist_has(&l, "rohs"));
	strlist_copy(&c, &l);
	assert_int_equal(strlist_remove(&l, "CE"), 1);
	assert_int_equal(strlist_remove(&l, "CE"), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(c.n, 2);
	strlist_clear(&l);
	strlist_clear(&c);
	assert_int_equal(l.n, 0);
}

static void test_field_names(void **state)
{
	(void)state;
	for (int i = 0; i < FF_COUNT; i++)
		assert_int_equal(filter_field_lookup(filter_field_name((enum filter_field)i)), i);
	assert_string_equal(filter_field_name(FF_LEAD_TIME), "lead_time_max_days");
	assert_int_equal(filter_field_lookup("nope"), -1);
	assert_int_equal(filter_field_lookup(NULL), -1);
}

static void test_empty_json_has_every_key(void **state)
{
	souk_filter f;
	char *s;

	(void)state;
	filter_init(&f);
	assert_true(filter_is_empty(&f));
	s = filter_to_json(&f);
	assert_string_equal(
	        s, "{\"keywords\":[],\"category\":null,\"quantity\":null,\"price_min\":null,"
	           "\"price_max\":null,\"currency\":\"USD\",\"moq_max\":null,"
	           "\"lead_time_max_days\":null,\"market\":null,\"supplier_countries\":[],"
	           "\"exclude_countries\":[],\"certifications\":[],\"verified_only\":false,"
	           "\"min_rating\":null,\"min_years\":null,\"customization\":false,"
	           "\"samples\":false,\"business_type\":null,\"incoterm\":null,"
	           "\"include_larger_moq\":false}");
	free(s);
	filter_free(&f);
}

static const char *full_json =
        "{\"keywords\":[\"Pickleball\",\" paddle \"],\"category\":\"sports/pickleball/paddles\","
        "\"quantity\":500,\"price_min\":1.5,\"price_max\":8,\"currency\":\"eur\",\"moq_max\":500,"
        "\"lead_time_max_days\":30,\"market\":\"us\",\"supplier_countries\":[\"vn\",\"IN\"],"
        "\"exclude_countries\":[\"CN\"],\"certifications\":[\"ce\",\"ROHS\",\"Green Leaf\"],"
        "\"verified_only\":true,\"min_rating\":4.5,\"min_years\":3,\"customization\":true,"
        "\"samples\":false,\"business_type\":\"Manufacturer\",\"incoterm\":\"fob\"}";

static void test_from_json_normalises(void **state)
{
	souk_filter f;
	souk_err e;

	(void)state;
	assert_int_equal(filter_from_json(full_json, test_ref(), &f, &e), 0);
	assert_int_equal(f.keywords.n, 2);
	assert_string_equal(f.keywords.v[0], "pickleball");
	assert_string_equal(f.keywords.v[1], "paddle");
	assert_string_equal(f.category, "sports/pickleball/paddles");
	assert_true(f.quantity == 500);
	assert_true(f.price_min == 1.5);
	assert_true(f.price_max == 8);
	assert_string_equal(f.currency, "EUR");
	assert_string_equal(f.market, "US");
	assert_string_equal(f.supplier_countries.v[0], "VN");
	assert_string_equal(f.supplier_countries.v[1], "IN");
	assert_string_equal(f.certifications.v[0], "CE");
	assert_string_equal(f.certifications.v[1], "RoHS");
	assert_string_equal(f.certifications.v[2], "Green Leaf");
	assert_int_equal(f.verified_only, 1);
	assert_true(f.min_rating == 4.5);
	assert_int_equal(f.customization, 1);
	assert_int_equal(f.samples, 0);
	assert_string_equal(f.business_type, "manufacturer");
	assert_string_equal(f.incoterm, "FOB");
	assert_false(filter_is_empty(&f));
	filter_free(&f);
}

static void test_round_trip(void **state)
{
	souk_filter a, b, c;
	souk_err e;
	char *s1, *s2;

	(void)state;
	assert_int_equal(filter_from_json(full_json, test_ref(), &a, &e), 0);
	s1 = filter_to_json(&a);
	assert_int_equal(filter_from_json(s1, test_ref(), &b, &e), 0);
	assert_true(filter_equal(&a, &b));
	s2 = filter_to_json(&b);
	assert_string_equal(s1, s2);
	filter_copy(&c, &b);
	assert_true(filter_equal(&c, &a));
	c.moq_max = 499;
	assert_false(filter_equal(&c, &a));
	free(s1);
	free(s2);
	filter_free(&a);
	filter_free(&b);
	filter_free(&c);
}

static void expect_error(const char *json, const char *needle1, const char *needle2)
{
	souk_filter f;
	souk_err e;

	e.msg[0] = 0;
	assert_int_equal(filter_from_json(json, test_ref(), &f, &e), -1);
	if (!strstr(e.msg, needle1) || (needle2 && !strstr(e.msg, needle2)))
		fail_msg("error for %s was \"%s\"", json, e.msg);
	assert_null(strchr(e.msg, '\x1b'));
	assert_true(filter_is_empty(&f)); /* left clean on failure */
}

static void test_validation(void **state)
{
	(void)state;
	expect_error("{\"colour\":\"red\"}", "colour", NULL);
	expect_error("{\"price_max\":\"cheap\"}", "price_max", "\"cheap\"");
	expect_error("{\"moq_max\":-5}", "moq_max", "-5");
	expect_error("{\"min_rating\":6}", "min_rating", "6");
	expect_error("{\"currency\":\"DOLLARS\"}", "currency", "DOLLARS");
	expect_error("{\"currency\":7}", "currency", "7");
	expect_error("{\"market\":\"USA\"}", "market", "USA");
	expect_error("{\"supplier_countries\":[\"China\"]}", "supplier_countries", "China");
	expect_error("{\"exclude_countries\":[1]}", "exclude_countries", "1");
	expect_error("{\"business_type\":\"agent\"}", "business_type", "agent");
	expect_error("{\"incoterm\":\"FCA\"}", "incoterm", "FCA");
	expect_error("{\"verified_only\":\"yes\"}", "verified_only", "yes");
	expect_error("{\"keywords\":{\"a\":1}}", "keywords", NULL);
	expect_error("[1,2]", "object", NULL);
	expect_error("{\"keywords\":[\"a\"]", "not valid JSON", NULL);
	expect_error("{\"keywords\":[]} trailing", "not valid JSON", NULL);
	/* hostile key text is sanitised in the message */
	expect_error("{\"\\u001b[31mred\":1}", "\"red\"", NULL);
	expect_error("{\"market\":\"\\u001b]0;x\\u0007US\"}", "market", "US");
}

static void test_nulls_and_missing(void **state)
{
	souk_filter f;
	souk_err e;

	(void)state;
	assert_int_equal(filter_from_json("{\"price_max\":null,\"market\":null,\"keywords\":null,"
	                                  "\"verified_only\":null}",
	                                  test_ref(), &f, &e),
	                 0);
	assert_true(filter_is_empty(&f));
	assert_string_equal(f.currency, "USD");
	filter_free(&f);
	assert_int_equal(filter_from_json("{\"keywords\":\"Yoga\"}", test_ref(), &f, &e), 0);
	assert_int_equal(f.keywords.n, 1);
	assert_string_equal(f.keywords.v[0], "yoga");
	filter_free(&f);
}

static void test_apply_set_add_del(void **state)
{
	souk_filter st;
	filter_delta d;
	unsigned mask;

	(void)state;
	filter_init(&st);
	filter_delta_init(&d);
	assert_true(filter_delta_is_empty(&d));
	d.set = (1u << FF_PRICE_MAX) | (1u << FF_MARKET);
	d.f.price_max = 8;
	d.f.market = xstrdup("us");
	strlist_add(&d.add[FF_KEYWORDS], "Paddle");
	strlist_add(&d.add[FF_SUPPLIER_COUNTRIES], "vn");
	assert_false(filter_delta_is_empty(&d));
	mask = filter_apply(&st, &d);
	assert_int_equal(mask, (1u << FF_PRICE_MAX) | (1u << FF_MARKET) | (1u << FF_KEYWORDS) |
	                               (1u << FF_SUPPLIER_COUNTRIES));
	assert_string_equal(st.market, "US");
	assert_string_equal(st.keywords.v[0], "paddle");
	assert_string_equal(st.supplier_countries.v[0], "VN");
	/* the same delta again changes nothing */
	assert_int_equal(filter_apply(&st, &d), 0);
	filter_delta_free(&d);

	/* set with an unset value clears the field; del removes items */
	filter_delta_init(&d);
	d.set = 1u << FF_PRICE_MAX;
	strlist_add(&d.del[FF_SUPPLIER_COUNTRIES], "VN");
	strlist_add(&d.add[FF_CERTIFICATIONS], " RoHS ");
	mask = filter_apply(&st, &d);
	assert_int_equal(mask, (1u << FF_PRICE_MAX) | (1u << FF_SUPPLIER_COUNTRIES) |
	                               (1u << FF_CERTIFICATIONS));
	assert_true(st.price_max < 0);
	assert_int_equal(st.supplier_countries.n, 0);
	assert_string_equal(st.certifications.v[0], "RoHS");
	filter_delta_free(&d);

	/* set replaces a list wholesale, then add applies on top */
	filter_delta_init(&d);
	d.set = 1u << FF_KEYWORDS;
	strlist_add(&d.f.keywords, "yoga");
	strlist_add(&d.add[FF_KEYWORDS], "mat");
	mask = filter_apply(&st, &d);
	assert_int_equal(mask, 1u << FF_KEYWORDS);
	assert_int_equal(st.keywords.n, 2);
	assert_string_equal(st.keywords.v[0], "yoga");
	assert_string_equal(st.keywords.v[1], "mat");
	filter_delta_free(&d);

	/* reset empties first, then the rest of the delta applies */
	filter_delta_init(&d);
	d.reset = 1;
	d.set = 1u << FF_MOQ_MAX;
	d.f.moq_max = 100;
	mask = filter_apply(&st, &d);
	assert_int_equal(mask, (1u << FF_MOQ_MAX) | (1u << FF_MARKET) | (1u << FF_KEYWORDS) |
	                               (1u << FF_CERTIFICATIONS));
	assert_true(st.moq_max == 100);
	assert_null(st.market);
	assert_int_equal(st.keywords.n, 0);
	filter_delta_free(&d);
	filter_free(&st);
}

static void test_clear_field(void **state)
{
	souk_filter f;
	souk_err e;

	(void)state;
	assert_int_equal(filter_from_json(full_json, test_ref(), &f, &e), 0);
	for (int i = 0; i < FF_COUNT; i++)
		filter_clear_field(&f, (enum filter_field)i);
	assert_true(filter_is_empty(&f));
	assert_string_equal(f.currency, "USD");
	filter_free(&f);
}

static void test_history(void **state)
{
	filter_history h;
	souk_filter cur, first;
	filter_delta d;

	(void)state;
	filter_history_init(&h);
	filter_init(&cur);
	assert_int_equal(filter_history_undo(&h, &cur), 0);
	filter_delta_init(&d);
	d.set = 1u << FF_QUANTITY;
	for (int i = 1; i <= 3; i++) {
		filter_history_push(&h, &cur);
		d.f.quantity = i * 100;
		filter_apply(&cur, &d);
	}
	filter_copy(&first, &cur);
	assert_true(cur.quantity == 300);
	assert_int_equal(filter_history_undo(&h, &cur), 1);
	assert_true(cur.quantity == 200);
	assert_int_equal(filter_history_undo(&h, &cur), 1);
	assert_int_equal(filter_history_undo(&h, &cur), 1);
	assert_true(filter_is_empty(&cur));
	assert_int_equal(filter_history_undo(&h, &cur), 0);
	assert_false(filter_equal(&first, &cur));
	filter_delta_free(&d);
	filter_free(&first);
	filter_free(&cur);
	filter_history_free(&h);
}

static void test_history_is_bounded(void **state)
{
	filter_history h;
	souk_filter cur;
	int undos = 0;

	(void)state;
	filter_history_init(&h);
	filter_init(&cur);
	for (int i = 0; i < 1000; i++) {
		cur.moq_max = i;
		filter_history_push(&h, &cur);
	}
	while (filter_history_undo(&h, &cur))
		undos++;
	assert_true(undos > 10 && undos < 1000);
	assert_true(cur.moq_max == 1000 - undos); /* the oldest ones fell off */
	filter_free(&cur);
	filter_history_free(&h);
}

/* ---- filter_fields[] ---- */

/* Every field is in the table with its key, label and storage, and the
 * JSON form writes exactly the table's keys in its order. */
static void test_fields_table(void **state)
{
	souk_filter f;
	cJSON *o, *it;
	int i = 0;

	(void)state;
	filter_init(&f);
	for (int k = 0; k < FF_COUNT; k++) {
		const filter_field_def *d = filter_field_def_of(k);
		int stores =
		        (filter_list_field(&f, k) != NULL) + (filter_number_field(&f, k) != NULL) +
		        (filter_bool_field(&f, k) != NULL) + (filter_string_field(&f, k) != NULL);

		assert_non_null(d);
		assert_non_null(d->key);
		assert_non_null(d->label);
		assert_int_equal(stores, d->kind == FK_CURRENCY ? 0 : 1);
	}
	assert_null(filter_field_def_of(FF_COUNT));
	assert_null(filter_field_def_of(-1));
	o = filter_to_cjson(&f);
	cJSON_ArrayForEach(it, o)
	{
		assert_true(i < FF_COUNT);
		assert_string_equal(it->string, filter_fields[i].key);
		i++;
	}
	assert_int_equal(i, FF_COUNT);
	cJSON_Delete(o);
	filter_free(&f);
}

/* A value set on every field: what the sidebar shows parses back to it. */
static void test_field_format_parse(void **state)
{
	souk_filter f, back;
	souk_err e;

	(void)state;
	assert_int_equal(
	        filter_from_json("{\"keywords\":[\"yoga\",\"mat\"],\"category\":\"Sports\","
	                         "\"quantity\":500,\"price_min\":2,\"price_max\":8.5,"
	                         "\"currency\":\"EUR\",\"moq_max\":1000,"
	                         "\"lead_time_max_days\":30,\"market\":\"DE\","
	                         "\"supplier_countries\":[\"VN\",\"IN\"],"
	                         "\"exclude_countries\":[\"CN\"],"
	                         "\"certifications\":[\"CE\",\"OEKO-TEX\"],"
	                         "\"verified_only\":true,\"min_rating\":4.5,"
	                         "\"min_years\":3,\"customization\":true,\"samples\":true,"
	                         "\"business_type\":\"trading\",\"incoterm\":\"FOB\","
	                         "\"include_larger_moq\":true}",
	                         test_ref(), &f, &e),
	        0);
	filter_init(&back);
	for (int k = 0; k < FF_COUNT; k++) {
		char *shown = filter_field_format(&f, k);
		filter_delta d;

		assert_true(shown[0] != '\0'); /* every field is set above */
		filter_delta_init(&d);
		assert_int_equal(filter_field_parse(k, shown, test_ref(), &d, &e), 0);
		/* a price carries its currency ("8.50 EUR") */
		assert_int_equal(k == FF_CURRENCY ? d.set : d.set & ~(1u << FF_CURRENCY), 1u << k);
		filter_apply(&back, &d);
		filter_delta_free(&d);
		free(shown);
	}
	assert_true(filter_equal(&f, &back));
	{
		char *s = filter_field_format(&f, FF_PRICE_MAX);
		assert_string_equal(s, "8.50 EUR");
		free(s);
		s = filter_field_format(&f, FF_LEAD_TIME);
		assert_string_equal(s, "30 days");
		free(s);
		s = filter_field_format(&f, FF_VERIFIED);
		assert_string_equal(s, "only");
		free(s);
	}
	filter_free(&back);
	filter_free(&f);
}

static void test_field_parse_errors(void **state)
{
	filter_delta d;
	souk_err e;

	(void)state;
	filter_delta_init(&d);
	assert_int_equal(filter_field_parse(FF_MOQ_MAX, "lots", test_ref(), &d, &e), -1);
	assert_non_null(strstr(e.msg, "MOQ max needs a number"));
	assert_int_equal(filter_field_parse(FF_MIN_RATING, "7", test_ref(), &d, &e), -1);
	assert_non_null(strstr(e.msg, "ratings go from 0 to 5"));
	assert_int_equal(filter_field_parse(FF_SUPPLIER_COUNTRIES, "Narnia", test_ref(), &d, &e),
	                 -1);
	assert_non_null(strstr(e.msg, "two-letter"));
	assert_int_equal(filter_field_parse(FF_INCOTERM, "FAS", test_ref(), &d, &e), -1);
	assert_non_null(strstr(e.msg, "EXW"));
	assert_int_equal(filter_field_parse(FF_CURRENCY, "dollars", test_ref(), &d, &e), -1);
	assert_int_equal(filter_field_parse(FF_VERIFIED, "perhaps", test_ref(), &d, &e), -1);
	assert_int_equal(filter_field_parse(FF_COUNT, "1", test_ref(), &d, &e), -1);
	assert_true(filter_delta_is_empty(&d)); /* refused text changes nothing */
	/* blank text clears; units the sidebar shows may come back */
	assert_int_equal(filter_field_parse(FF_PRICE_MAX, "  ", test_ref(), &d, &e), 0);
	assert_int_equal(d.set, 1u << FF_PRICE_MAX);
	assert_true(d.f.price_max < 0);
	assert_int_equal(filter_field_parse(FF_LEAD_TIME, "21 days", test_ref(), &d, &e), 0);
	assert_true(d.f.lead_time_max_days == 21);
	assert_int_equal(filter_field_parse(FF_PRICE_MIN, "2 gbp", test_ref(), &d, &e), 0);
	assert_int_equal(d.set, (1u << FF_PRICE_MAX) | (1u << FF_LEAD_TIME) | (1u << FF_PRICE_MIN) |
	                                (1u << FF_CURRENCY));
	assert_string_equal(d.f.currency, "GBP");
	assert_int_equal(filter_field_parse(FF_SUPPLIER_COUNTRIES, "vn, in", test_ref(), &d, &e),
	                 0);
	assert_int_equal(d.f.supplier_countries.n, 2);
	assert_string_equal(d.f.supplier_countries.v[0], "VN");
	filter_delta_free(&d);
}

/* The sidebar takes places by name and certifications by alias, as the
 * buyer would write them; the filter keeps codes and canonical names. */
static void test_field_parse_names(void **state)
{
	filter_delta d;
	souk_err e;

	(void)state;
	filter_delta_init(&d);
	assert_int_equal(filter_field_parse(FF_SUPPLIER_COUNTRIES, "China, Viet Nam, vnm, in",
	                                    test_ref(), &d, &e),
	                 0);
	assert_int_equal(d.f.supplier_countries.n, 3); /* VN once */
	assert_string_equal(d.f.supplier_countries.v[0], "CN");
	assert_string_equal(d.f.supplier_countries.v[1], "VN");
	assert_string_equal(d.f.supplier_countries.v[2], "IN");
	assert_int_equal(filter_field_parse(FF_EXCLUDE_COUNTRIES, "germany", test_ref(), &d, &e),
	                 0);
	assert_string_equal(d.f.exclude_countries.v[0], "DE");
	assert_int_equal(filter_field_parse(FF_MARKET, "Germany", test_ref(), &d, &e), 0);
	assert_string_equal(d.f.market, "DE");
	assert_int_equal(
	        filter_field_parse(FF_CERTIFICATIONS, "oeko tex, rohs", test_ref(), &d, &e), 0);
	assert_int_equal(d.f.certifications.n, 2);
	assert_string_equal(d.f.certifications.v[0], "OEKO-TEX");
	assert_string_equal(d.f.certifications.v[1], "RoHS");
	filter_delta_free(&d);
}

/* "LFGB or FDA": a group any one of which will do, kept as "LFGB|FDA" in
 * the filter JSON and read back as words everywhere it is shown. */
static void test_cert_groups(void **state)
{
	filter_delta d;
	souk_filter f, g;
	souk_err e;
	char *s;

	(void)state;
	filter_delta_init(&d);
	assert_int_equal(
	        filter_field_parse(FF_CERTIFICATIONS, "lfgb or fda, CE", test_ref(), &d, &e), 0);
	assert_int_equal(d.f.certifications.n, 2);
	assert_string_equal(d.f.certifications.v[0], "LFGB|FDA");
	assert_string_equal(d.f.certifications.v[1], "CE");
	s = filter_field_format(&d.f, FF_CERTIFICATIONS);
	assert_string_equal(s, "LFGB or FDA, CE");
	free(s);
	s = filter_field_describe(&d.f, FF_CERTIFICATIONS, NULL);
	assert_non_null(strstr(s, "LFGB or FDA"));
	assert_null(strchr(s, '|'));
	free(s);
	filter_delta_free(&d);
	/* JSON: names made canonical, blanks dropped, a group of one is plain */
	assert_int_equal(filter_from_json("{\"certifications\":[\"fda| lfgb |\",\"|ce\"]}",
	                                  test_ref(), &f, &e),
	                 0);
	assert_int_equal(f.certifications.n, 2);
	assert_string_equal(f.certifications.v[0], "FDA|LFGB");
	assert_string_equal(f.certifications.v[1], "CE");
	s = filter_to_json(&f);
	assert_non_null(strstr(s, "\"FDA|LFGB\""));
	free(s);
	/* without reference data (a state souk saved) the spelling stays */
	assert_int_equal(filter_from_json("{\"certifications\":[\" rohs|ce \"]}", NULL, &g, &e), 0);
	assert_string_equal(g.certifications.v[0], "rohs|ce");
	filter_free(&g);
	/* dropping one name of a group leaves the others */
	filter_delta_init(&d);
	strlist_add(&d.del[FF_CERTIFICATIONS], "lfgb");
	assert_true(filter_apply(&f, &d) & (1u << FF_CERTIFICATIONS));
	assert_int_equal(f.certifications.n, 2);
	assert_string_equal(f.certifications.v[0], "FDA");
	filter_delta_free(&d);
	filter_free(&f);
}

static const char *test_place(void *ctx, int field, const char *code)
{
	(void)ctx;
	if (field == FF_MARKET && !strcmp(code, "GB"))
		return "UK";
	if (!strcmp(code, "VN"))
		return "Vietnam";
	if (!strcmp(code, "IN"))
		return "India";
	return NULL;
}

static void expect_words(const souk_filter *f, int field, const char *want)
{
	filter_words w = {test_place, NULL};
	char *got = filter_field_describe(f, field, &w);

	if (want == NULL) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* How each field reads in a reply. */
static void test_field_describe(void **state)
{
	souk_filter f;

	(void)state;
	filter_init(&f);
	for (int k = 0; k < FF_COUNT; k++)
		expect_words(&f, k, NULL); /* nothing set, nothing said */
	f.price_max = 8;
	expect_words(&f, FF_PRICE_MAX, "at most $8/unit");
	f.price_min = 2.5;
	expect_words(&f, FF_PRICE_MIN, "$2.50-$8/unit");
	strcpy(f.currency, "CHF");
	f.price_max = -1;
	expect_words(&f, FF_PRICE_MAX, "at least 2.50 CHF/unit");
	strlist_add(&f.supplier_countries, "VN");
	strlist_add(&f.supplier_countries, "IN");
	expect_words(&f, FF_SUPPLIER_COUNTRIES, "from Vietnam or India");
	strlist_add(&f.exclude_countries, "CN");
	expect_words(&f, FF_EXCLUDE_COUNTRIES, "not from CN");
	f.quantity = 12500;
	expect_words(&f, FF_QUANTITY, "12,500 units");
	f.moq_max = 500;
	expect_words(&f, FF_MOQ_MAX, "MOQ at most 500");
	f.lead_time_max_days = 30;
	expect_words(&f, FF_LEAD_TIME, "lead time at most 30 days");
	f.market = xstrdup("GB");
	expect_words(&f, FF_MARKET, "UK market");
	f.business_type = xstrdup("trading");
	expect_words(&f, FF_BUSINESS_TYPE, "trading companies");
	f.min_rating = 4.5;
	expect_words(&f, FF_MIN_RATING, "rated 4.5+");
	f.verified_only = 1;
	expect_words(&f, FF_VERIFIED, "verified suppliers");
	expect_words(&f, FF_CURRENCY, NULL);
	assert_string_equal(filter_field_cleared(FF_PRICE_MAX), "no price limit");
	assert_null(filter_field_cleared(FF_CURRENCY));
	filter_free(&f);
}

/* include_larger_moq: a bool like the others in JSON, deltas and undo. */
static void test_include_larger_moq(void **state)
{
	souk_filter f, cur;
	filter_delta d;
	filter_history h;
	souk_err e;
	char *s;

	(void)state;
	assert_int_equal(filter_from_json("{\"include_larger_moq\":true}", test_ref(), &f, &e), 0);
	assert_int_equal(f.include_larger_moq, 1);
	assert_false(filter_is_empty(&f));
	s = filter_to_json(&f);
	assert_non_null(strstr(s, "\"include_larger_moq\":true"));
	free(s);
	filter_free(&f);
	assert_int_equal(filter_from_json("{\"include_larger_moq\":1}", test_ref(), &f, &e), -1);
	assert_non_null(strstr(e.msg, "include_larger_moq"));
	filter_init(&cur);
	filter_history_init(&h);
	filter_delta_init(&d);
	d.set = 1u << FF_INCLUDE_LARGER_MOQ;
	d.f.include_larger_moq = 1;
	filter_history_push(&h, &cur);
	assert_int_equal(filter_apply(&cur, &d), 1u << FF_INCLUDE_LARGER_MOQ);
	assert_int_equal(cur.include_larger_moq, 1);
	assert_int_equal(filter_history_undo(&h, &cur), 1);
	assert_int_equal(cur.include_larger_moq, 0);
	filter_delta_free(&d);
	filter_history_free(&h);
	filter_free(&cur);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_strlist),
	        cmocka_unit_test(test_field_names),
	        cmocka_unit_test(test_empty_json_has_every_key),
	        cmocka_unit_test(test_from_json_normalises),
	        cmocka_unit_test(test_round_trip),
	        cmocka_unit_test(test_validation),
	        cmocka_unit_test(test_nulls_and_missing),
	        cmocka_unit_test(test_apply_set_add_del),
	        cmocka_unit_test(test_clear_field),
	        cmocka_unit_test(test_history),
	        cmocka_unit_test(test_history_is_bounded),
	        cmocka_unit_test(test_include_larger_moq),
	        cmocka_unit_test(test_fields_table),
	        cmocka_unit_test(test_field_format_parse),
	        cmocka_unit_test(test_field_parse_errors),
	        cmocka_unit_test(test_field_parse_names),
	        cmocka_unit_test(test_cert_groups),
	        cmocka_unit_test(test_field_describe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
