/* test_intent: the offline interpreter, one turn at a time, and the phrasing sets in tests/intent.
 */
#include <cJSON.h>
#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "dialog.h"
#include "intent.h"

static const char *assets(void)
{
	const char *a = getenv("SOUK_ASSETS");
	return a && *a ? a : "assets";
}

static souk_ref *ref; /* the reference data, loaded once for the group */

static int setup(void **state)
{
	souk_err e;
	intent_vocab *v;

	if ((ref = ref_load(assets(), &e)) == NULL || (v = intent_vocab_load(ref, &e)) == NULL) {
		fprintf(stderr, "%s\n", e.msg);
		return -1;
	}
	*state = v;
	return 0;
}

static int teardown(void **state)
{
	intent_vocab_free(*state);
	ref_free(ref);
	return 0;
}

/* Parses one turn with no context. */
static void parse(void **state, const char *text, intent_result *r)
{
	intent_result_init(r);
	intent_parse(*state, text, NULL, r);
}

static int has(const strlist *l, const char *s)
{
	return strlist_has(l, s);
}

static void test_quantities(void **state)
{
	static const struct {
		const char *text;
		double q;
	} cases[] = {
	        {"5,000 pcs of mugs", 5000},
	        {"mugs 5k pieces", 5000},
	        {"two thousand mugs", 2000},
	        {"a thousand mugs", 1000},
	        {"need 750 mugs", 750},
	        {"mugs, qty 300", 300},
	        {"twenty-five hundred mugs", 2500},
	        {"mugs 3 thousand units", 3000},
	        {"mugs, 1.5k sets", 1500},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		intent_result r;
		parse(state, cases[i].text, &r);
		assert_true(r.delta.set & (1u << FF_QUANTITY));
		if (fabs(r.delta.f.quantity - cases[i].q) > 1e-9)
			fail_msg("%s: quantity %g, expected %g", cases[i].text, r.delta.f.quantity,
			         cases[i].q);
		assert_true(has(&r.delta.add[FF_KEYWORDS], "mug"));
		intent_result_free(&r);
	}
}

static void test_prices(void **state)
{
	static const struct {
		const char *text;
		double lo, hi;
		const char *cur;
	} cases[] = {
	        {"cups under $8", -1, 8, "USD"},
	        {"cups below 8 USD", -1, 8, "USD"},
	        {"cups at most €2.50", -1, 2.5, "EUR"},
	        {"cups £3 or less", -1, 3, "GBP"},
	        {"cups 20 to 40 cents", 0.2, 0.4, "USD"},
	        {"cups between $1 and $2", 1, 2, "USD"},
	        {"cups $0.01-$0.03", 0.01, 0.03, "USD"},
	        {"cups ¥15 max", -1, 15, "CNY"},
	        {"cups 15 yuan or cheaper", -1, 15, "CNY"},
	        {"cups over 2 dollars", 2, -1, "USD"},
	        {"cups, budget five dollars", -1, 5, "USD"},
	        {"cups cheaper than 4 bucks", -1, 4, "USD"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		intent_result r;
		parse(state, cases[i].text, &r);
		double lo = (r.delta.set & (1u << FF_PRICE_MIN)) ? r.delta.f.price_min : -1;
		double hi = (r.delta.set & (1u << FF_PRICE_MAX)) ? r.delta.f.price_max : -1;
		if (fabs(lo - cases[i].lo) > 1e-9 || fabs(hi - cases[i].hi) > 1e-9)
			fail_msg("%s: got %g..%g, expected %g..%g", cases[i].text, lo, hi,
			         cases[i].lo, cases[i].hi);
		assert_string_equal(r.delta.f.currency, cases[i].cur);
		assert_int_equal(r.delta.add[FF_KEYWORDS].n, 1);
		intent_result_free(&r);
	}
}

static void test_other_numbers(void **state)
{
	intent_result r;
	parse(state,
	      "MOQ below 500, ship within 3 weeks, rated 4.6 or higher, 5+ years in business", &r);
	assert_true(fabs(r.delta.f.moq_max - 500) < 1e-9);
	assert_true(fabs(r.delta.f.lead_time_max_days - 21) < 1e-9);
	assert_true(fabs(r.delta.f.min_rating - 4.6) < 1e-9);
	assert_true(fabs(r.delta.f.min_years - 5) < 1e-9);
	assert_false(r.delta.set & (1u << FF_QUANTITY));
	assert_false(r.delta.set & (1u << FF_PRICE_MAX));
	assert_int_equal(r.delta.add[FF_KEYWORDS].n, 0);
	intent_result_free(&r);

	parse(state, "lamps with a 2 year warranty", &r);
	assert_false(r.delta.set & (1u << FF_MIN_YEARS));
	intent_result_free(&r);
}

static void test_countries(void **state)
{
	intent_result r;
	parse(state, "mugs from Vietnam, India or Thailand for the German market, not from China",
	      &r);
	assert_int_equal(r.delta.add[FF_SUPPLIER_COUNTRIES].n, 3);
	assert_true(has(&r.delta.add[FF_SUPPLIER_COUNTRIES], "TH"));
	assert_string_equal(r.delta.f.market, "DE");
	assert_true(has(&r.delta.add[FF_EXCLUDE_COUNTRIES], "CN"));
	intent_result_free(&r);

	/* "us" is a pronoun unless written as the country */
	parse(state, "help us find mugs", &r);
	assert_null(r.delta.f.market);
	assert_int_equal(r.delta.add[FF_SUPPLIER_COUNTRIES].n, 0);
	intent_result_free(&r);
	parse(state, "mugs for the US", &r);
	assert_string_equal(r.delta.f.market, "US");
	intent_result_free(&r);
	parse(state, "Chinese suppliers of mugs, sold to American buyers", &r);
	assert_true(has(&r.delta.add[FF_SUPPLIER_COUNTRIES], "CN"));
	assert_string_equal(r.delta.f.market, "US");
	intent_result_free(&r);
}

static void test_certifications(void **state)
{
	intent_result r;
	parse(state, "toys with EN 71, ASTM F963 and oeko tex", &r);
	assert_true(has(&r.delta.add[FF_CERTIFICATIONS], "EN71"));
	assert_true(has(&r.delta.add[FF_CERTIFICATIONS], "ASTM F963"));
	assert_true(has(&r.delta.add[FF_CERTIFICATIONS], "OEKO-TEX"));
	intent_result_free(&r);

	/* "reach" is a certification only when it reads as one */
	parse(state, "I want to reach new customers with mugs", &r);
	assert_int_equal(r.delta.add[FF_CERTIFICATIONS].n, 0);
	intent_result_free(&r);
	parse(state, "mugs, REACH", &r);
	assert_true(has(&r.delta.add[FF_CERTIFICATIONS], "REACH"));
	intent_result_free(&r);

	parse(state, "drop the ISO requirement", &r);
	assert_true(has(&r.delta.del[FF_CERTIFICATIONS], "ISO 9001"));
	assert_true(has(&r.delta.del[FF_CERTIFICATIONS], "ISO 14001"));
	intent_result_free(&r);

	/* "or" between certifications: a group, any one of which will do;
	 * "and" beside it stays a requirement of its own */
	parse(state, "mugs with LFGB or FDA", &r);
	assert_int_equal(r.delta.add[FF_CERTIFICATIONS].n, 1);
	assert_string_equal(r.delta.add[FF_CERTIFICATIONS].v[0], "LFGB|FDA");
	intent_result_free(&r);
	parse(state, "mugs, either FDA or LFGB, and CE", &r);
	assert_int_equal(r.delta.add[FF_CERTIFICATIONS].n, 2);
	assert_true(has(&r.delta.add[FF_CERTIFICATIONS], "FDA|LFGB"));
	assert_true(has(&r.delta.add[FF_CERTIFICATIONS], "CE"));
	assert_false(has(&r.delta.add[FF_KEYWORDS], "either"));
	intent_result_free(&r);
	parse(state, "mugs with CE and FDA", &r);
	assert_int_equal(r.delta.add[FF_CERTIFICATIONS].n, 2);
	intent_result_free(&r);
}

static void test_flags(void **state)
{
	intent_result r;
	parse(state, "verified factories only, custom logo, samples available, FOB", &r);
	assert_true(r.delta.f.verified_only);
	assert_string_equal(r.delta.f.business_type, "manufacturer");
	assert_true(r.delta.f.customization);
	assert_true(r.delta.f.samples);
	assert_string_equal(r.delta.f.incoterm, "FOB");
	intent_result_free(&r);

	parse(state, "no trading companies", &r);
	assert_string_equal(r.delta.f.business_type, "manufacturer");
	intent_result_free(&r);
	parse(state, "samples not needed", &r);
	assert_true(r.delta.set & (1u << FF_SAMPLES));
	assert_false(r.delta.f.samples);
	intent_result_free(&r);
}

static void test_intents(void **state)
{
	intent_result r;
	parse(state, "start over", &r);
	assert_true(r.intents & INTENT_RESET);
	assert_true(r.delta.reset);
	intent_result_free(&r);
	parse(state, "more like #3", &r);
	assert_true(r.intents & INTENT_SIMILAR);
	assert_int_equal(r.similar_row, 3);
	intent_result_free(&r);
	parse(state, "similar to the second one", &r);
	assert_int_equal(r.similar_row, 2);
	intent_result_free(&r);
	parse(state, "cheaper", &r);
	assert_true(r.intents & INTENT_CHEAPER);
	intent_result_free(&r);
	parse(state, "cheaper than $5", &r);
	assert_false(r.intents & INTENT_CHEAPER);
	assert_true(fabs(r.delta.f.price_max - 5) < 1e-9);
	intent_result_free(&r);
	parse(state, "I want to explore the idea of pickleball", &r);
	assert_true(r.intents & INTENT_EXPLORE);
	assert_int_equal(r.delta.add[FF_KEYWORDS].n, 1);
	assert_string_equal(r.delta.add[FF_KEYWORDS].v[0], "pickleball");
	intent_result_free(&r);
	parse(state, "yes please", &r);
	assert_true(r.intents & INTENT_YES);
	intent_result_free(&r);
	parse(state, "no thanks", &r);
	assert_true(r.intents & INTENT_NO);
	intent_result_free(&r);
	parse(state, "undo", &r);
	assert_true(r.intents & INTENT_UNDO);
	intent_result_free(&r);
}

/* Questions about the results: flagged with what to find the best of,
 * and they change no filter; a request with a superlative stays a request. */
static void test_superlatives(void **state)
{
	static const struct {
		const char *text;
		int best;
	} asks[] = {
	        {"which is cheapest?", INTENT_BEST_PRICE},
	        {"Who ships fastest?", INTENT_BEST_LEAD},
	        {"best rated?", INTENT_BEST_RATING},
	        {"and which one has the lowest MOQ", INTENT_BEST_MOQ},
	        {"what's the lowest landed cost?", INTENT_BEST_LANDED},
	        {"ok, which suppliers are top rated?", INTENT_BEST_RATING},
	};
	intent_result r;

	for (size_t i = 0; i < sizeof asks / sizeof *asks; i++) {
		parse(state, asks[i].text, &r);
		if (!(r.intents & INTENT_ASK_BEST))
			fail_msg("not a question about the results: %s", asks[i].text);
		assert_int_equal(r.best, asks[i].best);
		assert_true(filter_delta_is_empty(&r.delta));
		intent_result_free(&r);
	}
	parse(state, "cheapest yoga mats from Vietnam", &r);
	assert_false(r.intents & INTENT_ASK_BEST);
	assert_true(has(&r.delta.add[FF_SUPPLIER_COUNTRIES], "VN"));
	intent_result_free(&r);
	parse(state, "we need the cheapest ceramic mugs, 500 units", &r);
	assert_false(r.intents & INTENT_ASK_BEST);
	assert_true(fabs(r.delta.f.quantity - 500) < 1e-9);
	intent_result_free(&r);
}

/* Offers whose MOQ is above the quantity: words that show them and hide
 * them, never a number's bound. */
static void test_larger_moq(void **state)
{
	static const struct {
		const char *text;
		int on;
	} says[] = {
	        {"include larger MOQs", 1},
	        {"bigger minimums are fine too", 1},
	        {"show the ones with an MOQ above my quantity", 1},
	        {"hide the larger MOQs", 0},
	        {"no bigger MOQs please", 0},
	};
	intent_result r;

	for (size_t i = 0; i < sizeof says / sizeof *says; i++) {
		parse(state, says[i].text, &r);
		if (!(r.delta.set & (1u << FF_INCLUDE_LARGER_MOQ)))
			fail_msg("not read: %s", says[i].text);
		assert_int_equal(r.delta.f.include_larger_moq, says[i].on);
		assert_int_equal(r.delta.add[FF_KEYWORDS].n, 0);
		intent_result_free(&r);
	}
	parse(state, "tote bags, MOQ over 1000", &r);
	assert_false(r.delta.set & (1u << FF_INCLUDE_LARGER_MOQ));
	assert_true(fabs(r.delta.f.moq_max - 1000) < 1e-9);
	intent_result_free(&r);
}

static void test_clears(void **state)
{
	intent_result r;
	parse(state, "forget the price limit", &r);
	assert_true(r.delta.set & (1u << FF_PRICE_MAX));
	assert_true(r.delta.f.price_max < 0);
	intent_result_free(&r);
	parse(state, "any country is fine", &r);
	assert_true(r.delta.set & (1u << FF_SUPPLIER_COUNTRIES));
	assert_true(r.delta.set & (1u << FF_EXCLUDE_COUNTRIES));
	intent_result_free(&r);
	/* a number makes it a change, not a clear */
	parse(state, "lower the price to $4", &r);
	assert_true(fabs(r.delta.f.price_max - 4) < 1e-9);
	intent_result_free(&r);
}

static void test_keywords(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
	        {"toothbrushes", "toothbrush"},
	        {"leashes", "leash"},
	        {"earbuds", "earbud"},
	        {"kids", "kid"},
	        {"batteries", "battery"},
	        {"knives", "knife"},
	        {"hoodies", "hoodie"},
	        {"glasses", "glasses"},
	        {"boxes", "box"},
	        {"t-shirts", "t-shirt"},
	        {"USB-C", "usb-c"},
	        {"65W", "65w"},
	        {"men's", "men"},
	        {"wireless", "wireless"},
	        {"shoes", "shoe"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		intent_result r;
		parse(state, cases[i].text, &r);
		if (r.delta.add[FF_KEYWORDS].n != 1 ||
		    strcmp(r.delta.add[FF_KEYWORDS].v[0], cases[i].want))
			fail_msg("%s: got %s", cases[i].text,
			         r.delta.add[FF_KEYWORDS].n ? r.delta.add[FF_KEYWORDS].v[0]
			                                    : "nothing");
		intent_result_free(&r);
	}
}

static void test_bad_input(void **state)
{
	intent_result r;
	static const char *const nothing[] = {"",         "   ", "!!! ??? ...", "\xff\xfe\x80",
	                                      "\x1b[31m", NULL};
	for (int i = 0; nothing[i]; i++) {
		parse(state, nothing[i], &r);
		assert_true(filter_delta_is_empty(&r.delta));
		intent_result_free(&r);
	}
	/* a megabyte: read the beginning, say so */
	size_t n = 1 << 20;
	char *big = malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		big[i] = "mugs under $5 "[i % 14];
	big[n] = 0;
	parse(state, big, &r);
	assert_true(strstr(r.notes.s, "long") != NULL);
	assert_true(r.delta.add[FF_KEYWORDS].n >= 1);
	intent_result_free(&r);
	free(big);

	parse(state, "price -3", &r);
	assert_false(r.delta.set & (1u << FF_PRICE_MAX));
	assert_true(r.notes.len > 0);
	intent_result_free(&r);
	parse(state, "10^20 units", &r);
	assert_false(r.delta.set & (1u << FF_QUANTITY));
	assert_true(r.notes.len > 0);
	intent_result_free(&r);
	parse(state, "under $5 and over $10", &r);
	assert_false(r.delta.set & ((1u << FF_PRICE_MAX) | (1u << FF_PRICE_MIN)));
	assert_true(strstr(r.notes.s, "price") != NULL);
	intent_result_free(&r);
	parse(state, "rating 9", &r);
	assert_false(r.delta.set & (1u << FF_MIN_RATING));
	intent_result_free(&r);
}

static void test_exclusions(void **state)
{
	static const char *const turns[] = {"mugs but nothing from China",
	                                    "mugs, anything but China",
	                                    "mugs from anywhere except China",
	                                    "mugs from suppliers other than Chinese ones",
	                                    "mugs, apart from China any country works",
	                                    "China-free mugs",
	                                    "mugs excl. China",
	                                    "I want mugs but I don't want them from China",
	                                    NULL};
	for (int i = 0; turns[i]; i++) {
		intent_result r;
		parse(state, turns[i], &r);
		if (!has(&r.delta.add[FF_EXCLUDE_COUNTRIES], "CN") ||
		    r.delta.add[FF_SUPPLIER_COUNTRIES].n)
			fail_msg("%s: China is not excluded", turns[i]);
		if (r.delta.add[FF_KEYWORDS].n != 1)
			fail_msg("%s: %d keywords", turns[i], r.delta.add[FF_KEYWORDS].n);
		intent_result_free(&r);
	}
	/* "nothing but" is "only" */
	intent_result r;
	parse(state, "mugs, nothing but Vietnamese suppliers", &r);
	assert_true(has(&r.delta.add[FF_SUPPLIER_COUNTRIES], "VN"));
	intent_result_free(&r);
}

static void test_numbered_standards(void **state)
{
	static const struct {
		const char *text, *cert;
	} cases[] = {
	        {"cosmetics ISO 22716", "ISO 22716"}, {"masks iso13485", "ISO 13485"},
	        {"helmets ISO-45001", "ISO 45001"},   {"mugs ISO 9001:2015", "ISO 9001"},
	        {"strollers EN 1888", "EN 1888"},     {"batteries IEC 62133", "IEC 62133"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		intent_result r;
		parse(state, cases[i].text, &r);
		if (r.delta.add[FF_CERTIFICATIONS].n != 1 ||
		    strcmp(r.delta.add[FF_CERTIFICATIONS].v[0], cases[i].cert))
			fail_msg("%s: expected %s", cases[i].text, cases[i].cert);
		assert_false(r.delta.set & (1u << FF_QUANTITY));
		assert_int_equal(r.delta.add[FF_KEYWORDS].n, 1);
		intent_result_free(&r);
	}
}

static void test_spoken_numbers(void **state)
{
	static const struct {
		const char *text;
		double hi, qty;
	} cases[] = {
	        {"pens for under 1 dollar fifty", 1.5, -1},
	        {"pens, a dollar fifty max", 1.5, -1},
	        {"pens under two fifty dollars", 2.5, -1},
	        {"pens at 2 euros 50 each", 2.5, -1},
	        {"pens one dollar and fifty cents", 1.5, -1},
	        {"two fifty pieces of pens", -1, 250},
	        {"1.5k pens", -1, 1500},
	        {"pens 3 a piece", 3, -1},
	        {"pens 500 each colour", -1, 500},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		intent_result r;
		parse(state, cases[i].text, &r);
		double hi = (r.delta.set & (1u << FF_PRICE_MAX)) ? r.delta.f.price_max : -1;
		double q = (r.delta.set & (1u << FF_QUANTITY)) ? r.delta.f.quantity : -1;
		if (fabs(hi - cases[i].hi) > 1e-9 || fabs(q - cases[i].qty) > 1e-9)
			fail_msg("%s: price %g quantity %g", cases[i].text, hi, q);
		intent_result_free(&r);
	}
}

static void test_founded_year(void **state)
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	int year = tm.tm_year + 1900;
	intent_result r;
	parse(state, "mugs from suppliers in business since 2015", &r);
	assert_true(fabs(r.delta.f.min_years - (year - 2015)) < 1e-9);
	assert_false(r.delta.set & (1u << FF_PRICE_MIN));
	assert_int_equal(r.delta.add[FF_KEYWORDS].n, 1);
	intent_result_free(&r);
	parse(state, "mugs, suppliers est. 2008", &r);
	assert_true(fabs(r.delta.f.min_years - (year - 2008)) < 1e-9);
	assert_false(r.delta.set & (1u << FF_QUANTITY));
	intent_result_free(&r);
}

/* "double the quantity" needs the state: it comes with the context. */
static void test_scaling(void **state)
{
	souk_filter f;
	filter_init(&f);
	f.quantity = 500;
	f.price_max = 4;
	intent_ctx c;
	intent_ctx_init(&c);
	c.state = &f;
	c.last_number_field = FF_PRICE_MAX;
	intent_result r;
	intent_result_init(&r);
	intent_parse(*state, "double the quantity", &c, &r);
	assert_true(fabs(r.delta.f.quantity - 1000) < 1e-9);
	assert_int_equal(r.delta.add[FF_KEYWORDS].n, 0);
	intent_result_free(&r);
	/* "it" is the number changed last */
	intent_result_init(&r);
	intent_parse(*state, "halve it", &c, &r);
	assert_true(fabs(r.delta.f.price_max - 2) < 1e-9);
	assert_false(r.delta.set & (1u << FF_QUANTITY));
	intent_result_free(&r);
	/* nothing to scale: say so, change nothing */
	intent_result_init(&r);
	intent_parse(*state, "triple the MOQ", &c, &r);
	assert_false(r.delta.set & (1u << FF_MOQ_MAX));
	assert_non_null(strstr(r.notes.s, "MOQ"));
	intent_result_free(&r);
	/* a product word, not a factor */
	intent_result_init(&r);
	intent_parse(*state, "double wall tumblers", &c, &r);
	assert_false(r.delta.set & (1u << FF_QUANTITY));
	assert_true(has(&r.delta.add[FF_KEYWORDS], "double"));
	intent_result_free(&r);
	filter_free(&f);
}

static void test_bare_country(void **state)
{
	intent_result r;
	parse(state, "the US", &r);
	assert_string_equal(r.delta.f.market, "US");
	assert_int_equal(r.delta.add[FF_SUPPLIER_COUNTRIES].n, 0);
	intent_result_free(&r);
	/* a list or a region is where suppliers are */
	parse(state, "Vietnam or India", &r);
	assert_null(r.delta.f.market);
	assert_int_equal(r.delta.add[FF_SUPPLIER_COUNTRIES].n, 2);
	intent_result_free(&r);
	/* while the supplier countries are asked for, they are suppliers */
	intent_ctx c;
	intent_ctx_init(&c);
	c.expect = INTENT_EXPECT_COUNTRY;
	intent_result_init(&r);
	intent_parse(*state, "Turkey", &c, &r);
	assert_true(has(&r.delta.add[FF_SUPPLIER_COUNTRIES], "TR"));
	intent_result_free(&r);
}

/* ---- the phrasing sets: the same rules as ../shared/eval/score-intent ---- */

static const char LEAKS[] =
        " under below over above less more than max maximum min minimum moq pcs pc pieces"
        " piece units unit usd dollar dollars bucks euro euros eur yuan rmb cny cents cent"
        " verified supplier suppliers manufacturer manufacturers factory factories trading"
        " company companies market price prices budget day days week weeks lead time ship"
        " shipping delivery deliver need needs want looking find only from for with and the"
        " not exclude excluding avoid certified certification certificate approved rating"
        " rated ratings star stars year years sample samples logo custom customized qty"
        " quantity each per between to of in a an or no any also please"
        " china chinese vietnam vietnamese india indian usa us america american uk britain"
        " british germany german france french italy italian spain spanish japan japanese"
        " canada canadian australia australian turkey turkish pakistan bangladesh portugal"
        " taiwan cambodia netherlands dutch eu europe european"
        " ce fcc rohs fda ul gots bsci lfgb en71 cpsia cpsc oeko-tex oekotex iso 9001"
        " iso9001 reach ";

static void norm_code(const char *s, char *out, size_t n)
{
	size_t j = 0;
	for (; *s && j + 1 < n; s++)
		if (*s != ' ' && *s != '-' && *s != '.')
			out[j++] = (char)toupper((unsigned char)*s);
	out[j] = 0;
	if (!strcmp(out, "UK"))
		strcpy(out, "GB");
}

static int term_matches(const char *term, const char *kw)
{
	size_t tl = strlen(term), kl = strlen(kw);
	if (!strcmp(kw, term) || !strncmp(kw, term, tl))
		return 1;
	if (kl >= 3 && !strncmp(term, kw, kl))
		return 1;
	return tl >= 4 && strstr(kw, term) != NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Compares a normalised, sorted expected list with a state list. */
static int same_set(const cJSON *want, const strlist *got)
{
	int n = cJSON_GetArraySize(want);
	if (n != got->n)
		return 0;
	char **a = calloc((size_t)n + 1, sizeof(char *)),
	     **b = calloc((size_t)n + 1, sizeof(char *));
	for (int i = 0; i < n; i++) {
		char x[64], y[64];
		norm_code(cJSON_GetArrayItem(want, i)->valuestring, x, sizeof(x));
		norm_code(got->v[i], y, sizeof(y));
		a[i] = strdup(x);
		b[i] = strdup(y);
	}
	qsort(a, (size_t)n, sizeof(char *), cmp_str);
	qsort(b, (size_t)n, sizeof(char *), cmp_str);
	int same = 1;
	for (int i = 0; i < n; i++) {
		same &= !strcmp(a[i], b[i]);
		free(a[i]);
		free(b[i]);
	}
	free(a);
	free(b);
	return same;
}

static double num_field(const souk_filter *f, const char *name)
{
	if (!strcmp(name, "quantity"))
		return f->quantity;
	if (!strcmp(name, "price_min"))
		return f->price_min;
	if (!strcmp(name, "price_max"))
		return f->price_max;
	if (!strcmp(name, "moq_max"))
		return f->moq_max;
	if (!strcmp(name, "lead_time_max_days"))
		return f->lead_time_max_days;
	if (!strcmp(name, "min_rating"))
		return f->min_rating;
	return f->min_years;
}

/* Returns the number of mismatching fields, printing each. */
static int check_case(const cJSON *c)
{
	const cJSON *turns = cJSON_GetObjectItem(c, "turns"),
	            *ex = cJSON_GetObjectItem(c, "expect");
	const char *id = cJSON_GetObjectItem(c, "id")->valuestring;
	souk_err e;
	dialog *d = dialog_new(NULL, ref, &e);
	assert_non_null(d);
	const cJSON *t;
	cJSON_ArrayForEach(t, turns)
	{
		dialog_reply r;
		assert_int_equal(dialog_turn(d, t->valuestring, &r, &e), 0);
		assert_non_null(r.text);
		dialog_reply_free(&r);
	}
	const souk_filter *f = dialog_filter(d);
	int bad = 0;
	static const char *const nums[] = {
	        "quantity",           "price_min",  "price_max", "moq_max",
	        "lead_time_max_days", "min_rating", "min_years", NULL};
	for (int i = 0; nums[i]; i++) {
		const cJSON *w = cJSON_GetObjectItem(ex, nums[i]);
		double g = num_field(f, nums[i]);
		if ((!w && g >= 0) || (w && fabs(g - w->valuedouble) > 1e-6)) {
			printf("%s: %s: expected %g, got %g\n", id, nums[i],
			       w ? w->valuedouble : -1, g);
			bad++;
		}
	}
	if (cJSON_GetObjectItem(ex, "price_min") || cJSON_GetObjectItem(ex, "price_max")) {
		const cJSON *cur = cJSON_GetObjectItem(ex, "currency");
		if (strcmp(f->currency, cur ? cur->valuestring : "USD")) {
			printf("%s: currency %s\n", id, f->currency);
			bad++;
		}
	}
	static const char *const sets[] = {"supplier_countries", "exclude_countries",
	                                   "certifications", NULL};
	const strlist *lists[] = {&f->supplier_countries, &f->exclude_countries,
	                          &f->certifications};
	cJSON *empty = cJSON_CreateArray();
	for (int i = 0; sets[i]; i++) {
		const cJSON *w = cJSON_GetObjectItem(ex, sets[i]);
		if (!same_set(w ? w : empty, lists[i])) {
			printf("%s: %s differs\n", id, sets[i]);
			bad++;
		}
	}
	cJSON_Delete(empty);
	static const char *const bools[] = {"verified_only", "customization", "samples",
	                                    "include_larger_moq", NULL};
	const int got_b[] = {f->verified_only, f->customization, f->samples, f->include_larger_moq};
	for (int i = 0; bools[i]; i++) {
		if (cJSON_IsTrue(cJSON_GetObjectItem(ex, bools[i])) != !!got_b[i]) {
			printf("%s: %s is %d\n", id, bools[i], got_b[i]);
			bad++;
		}
	}
	static const char *const strs[] = {"market", "business_type", NULL};
	const char *got_s[] = {f->market, f->business_type};
	for (int i = 0; strs[i]; i++) {
		const cJSON *w = cJSON_GetObjectItem(ex, strs[i]);
		char x[64] = "", y[64] = "";
		if (w)
			norm_code(w->valuestring, x, sizeof(x));
		if (got_s[i])
			norm_code(got_s[i], y, sizeof(y));
		if (strcmp(x, y)) {
			printf("%s: %s: expected '%s', got '%s'\n", id, strs[i], x, y);
			bad++;
		}
	}
	const cJSON *kw = cJSON_GetObjectItem(ex, "keywords");
	cJSON_ArrayForEach(t, kw)
	{
		int found = 0;
		for (int i = 0; i < f->keywords.n && !found; i++)
			found = term_matches(t->valuestring, f->keywords.v[i]);
		if (!found) {
			printf("%s: keyword %s missing\n", id, t->valuestring);
			bad++;
		}
	}
	/* "keywords_only": every keyword is one of the expected terms, so no
	 * request word ("nothing", "direct", "hamburg") slips in */
	if (cJSON_IsTrue(cJSON_GetObjectItem(ex, "keywords_only"))) {
		for (int i = 0; i < f->keywords.n; i++) {
			int expected = 0;
			cJSON_ArrayForEach(t, kw)
			{
				expected |= term_matches(t->valuestring, f->keywords.v[i]);
			}
			if (!expected) {
				printf("%s: keyword %s was not expected\n", id, f->keywords.v[i]);
				bad++;
			}
		}
	}
	const cJSON *inco = cJSON_GetObjectItem(ex, "incoterm");
	if (inco && (!f->incoterm || strcmp(f->incoterm, inco->valuestring))) {
		printf("%s: incoterm %s, expected %s\n", id, f->incoterm ? f->incoterm : "null",
		       inco->valuestring);
		bad++;
	}
	for (int i = 0; i < f->keywords.n; i++) {
		char pat[80];
		snprintf(pat, sizeof(pat), " %s ", f->keywords.v[i]);
		int digits = 1;
		for (const char *p = f->keywords.v[i]; *p; p++)
			if (!isdigit((unsigned char)*p) && *p != '.' && *p != ',')
				digits = 0;
		if (strstr(LEAKS, pat) || digits) {
			printf("%s: keyword %s is a filter word\n", id, f->keywords.v[i]);
			bad++;
		}
	}
	dialog_free(d);
	return bad;
}

static void test_phrasing_sets(void **state)
{
	const char *src = getenv("top_srcdir");
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/tests/intent", src && *src ? src : ".");
	DIR *dh = opendir(dir);
	assert_non_null(dh);
	int cases = 0, turns = 0, failed = 0;
	struct dirent *de;
	while ((de = readdir(dh))) {
		size_t l = strlen(de->d_name);
		if (l < 7 || strcmp(de->d_name + l - 6, ".jsonl"))
			continue;
		char path[8192];
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		FILE *fp = fopen(path, "r");
		assert_non_null(fp);
		char line[8192];
		while (fgets(line, sizeof(line), fp)) {
			if (!line[0] || line[0] == '\n')
				continue;
			cJSON *c = cJSON_Parse(line);
			if (!c)
				fail_msg("%s: a line is not JSON: %.80s", path, line);
			cases++;
			turns += cJSON_GetArraySize(cJSON_GetObjectItem(c, "turns"));
			failed += check_case(c) > 0;
			cJSON_Delete(c);
		}
		fclose(fp);
	}
	closedir(dh);
	printf("intent phrasings: %d/%d cases exact, %d turns\n", cases - failed, cases, turns);
	assert_true(turns >= 200);
	assert_int_equal(failed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_quantities),     cmocka_unit_test(test_prices),
	        cmocka_unit_test(test_other_numbers),  cmocka_unit_test(test_countries),
	        cmocka_unit_test(test_certifications), cmocka_unit_test(test_flags),
	        cmocka_unit_test(test_intents),        cmocka_unit_test(test_superlatives),
	        cmocka_unit_test(test_larger_moq),     cmocka_unit_test(test_clears),
	        cmocka_unit_test(test_keywords),       cmocka_unit_test(test_bad_input),
	        cmocka_unit_test(test_exclusions),     cmocka_unit_test(test_numbered_standards),
	        cmocka_unit_test(test_spoken_numbers), cmocka_unit_test(test_founded_year),
	        cmocka_unit_test(test_scaling),        cmocka_unit_test(test_bare_country),
	        cmocka_unit_test(test_phrasing_sets),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
