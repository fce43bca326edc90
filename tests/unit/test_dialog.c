/* test_dialog: the conversation without a catalog: merges, undo, questions, market offers. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dialog.h"

static const char *assets(void)
{
	const char *a = getenv("SOUK_ASSETS");
	return a && *a ? a : "assets";
}

static souk_ref *ref; /* the reference data, loaded once for the group */

static int group_setup(void **state)
{
	souk_err e;

	(void)state;
	if ((ref = ref_load(assets(), &e)) == NULL) {
		fprintf(stderr, "%s\n", e.msg);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	ref_free(ref);
	return 0;
}

static int setup(void **state)
{
	souk_err e;
	dialog *d = dialog_new(NULL, ref, &e);
	if (!d) {
		fprintf(stderr, "%s\n", e.msg);
		return -1;
	}
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	dialog_free(*state);
	return 0;
}

/* One turn; the reply is kept in r (free it). */
static void say(void **state, const char *line, dialog_reply *r)
{
	souk_err e;
	assert_int_equal(dialog_turn(*state, line, r, &e), 0);
}

static void say_(void **state, const char *line)
{
	dialog_reply r;
	say(state, line, &r);
	dialog_reply_free(&r);
}

static void test_reply_says_what_changed(void **state)
{
	dialog_reply r;
	say(state, "pickleball paddles for the US market under $8, MOQ below 500", &r);
	assert_non_null(strstr(r.text, "US market"));
	assert_non_null(strstr(r.text, "at most $8/unit"));
	assert_non_null(strstr(r.text, "MOQ at most 500"));
	assert_true(r.changed & (1u << FF_PRICE_MAX));
	dialog_reply_free(&r);
	say(state, "make it 3000 units", &r);
	assert_non_null(strstr(r.text, "Changed: 3,000 units"));
	assert_int_equal(r.changed, 1u << FF_QUANTITY);
	assert_true(fabs(dialog_filter(*state)->quantity - 3000) < 1e-9);
	dialog_reply_free(&r);
}

static void test_undo_steps(void **state)
{
	dialog *d = *state;
	say_(state, "mugs");
	say_(state, "under $5");
	say_(state, "from Vietnam");
	assert_int_equal(dialog_filter(d)->supplier_countries.n, 1);
	dialog_reply r;
	assert_int_equal(dialog_undo(d, &r), 1);
	assert_true(r.changed & (1u << FF_SUPPLIER_COUNTRIES));
	dialog_reply_free(&r);
	assert_int_equal(dialog_filter(d)->supplier_countries.n, 0);
	assert_true(fabs(dialog_filter(d)->price_max - 5) < 1e-9);
	say(state, "/undo", &r);
	assert_non_null(strstr(r.text, "Undone"));
	dialog_reply_free(&r);
	assert_true(dialog_filter(d)->price_max < 0);
	assert_int_equal(dialog_undo(d, &r), 1);
	dialog_reply_free(&r);
	assert_int_equal(dialog_filter(d)->keywords.n, 0);
	assert_int_equal(dialog_undo(d, &r), 0);
	assert_non_null(strstr(r.text, "Nothing to undo"));
	dialog_reply_free(&r);
}

static void test_questions_never_repeat(void **state)
{
	dialog_reply r;
	char *asked[8] = {0};
	int n = 0;
	say(state, "LED strips", &r);
	assert_non_null(r.question);
	asked[n++] = strdup(r.question);
	dialog_reply_free(&r);
	for (int i = 0; i < 5; i++) {
		say(state, "bright ones", &r);
		if (r.question) {
			for (int k = 0; k < n; k++)
				assert_string_not_equal(asked[k], r.question);
			asked[n++] = strdup(r.question);
		}
		dialog_reply_free(&r);
	}
	assert_true(n >= 2);
	for (int k = 0; k < n; k++)
		free(asked[k]);
}

static void test_short_answers(void **state)
{
	dialog *d = *state;
	dialog_reply r;
	/* LED strips need different certificates by market: the market comes first */
	say(state, "LED strips", &r);
	assert_non_null(r.question);
	assert_non_null(strstr(r.question, "market"));
	dialog_reply_free(&r);
	say(state, "Germany", &r);
	assert_string_equal(dialog_filter(d)->market, "DE");
	/* then the market knowledge: CE and RoHS for Germany (an EU member) */
	assert_non_null(r.question);
	assert_non_null(strstr(r.question, "CE"));
	assert_non_null(strstr(r.question, "RoHS"));
	dialog_reply_free(&r);
	say(state, "yes", &r);
	assert_true(strlist_has(&dialog_filter(d)->certifications, "CE"));
	assert_true(strlist_has(&dialog_filter(d)->certifications, "RoHS"));
	assert_non_null(r.question);
	assert_non_null(strstr(r.question, "How many"));
	dialog_reply_free(&r);
	say(state, "500", &r);
	assert_true(fabs(dialog_filter(d)->quantity - 500) < 1e-9);
	dialog_reply_free(&r);
}

static void test_offer_declined(void **state)
{
	dialog *d = *state;
	dialog_reply r;
	say(state, "silicone spatulas for the US", &r);
	assert_non_null(r.question);
	assert_non_null(strstr(r.question, "FDA"));
	dialog_reply_free(&r);
	say(state, "no", &r);
	assert_int_equal(dialog_filter(d)->certifications.n, 0);
	/* offered once: not again for the same market */
	if (r.question)
		assert_null(strstr(r.question, "FDA"));
	dialog_reply_free(&r);
	say(state, "500 units", &r);
	if (r.question)
		assert_null(strstr(r.question, "FDA"));
	dialog_reply_free(&r);
}

static void test_bad_turns_keep_state(void **state)
{
	dialog *d = *state;
	say_(state, "wallets under $5 from India");
	static const char *const junk[] = {"",
	                                   "   ",
	                                   "???",
	                                   "\xff\xfe",
	                                   "price -3",
	                                   "10^20 units",
	                                   "under $5 and over $10",
	                                   "rating 9",
	                                   NULL};
	for (int i = 0; junk[i]; i++) {
		dialog_reply r;
		say(state, junk[i], &r);
		assert_non_null(r.text);
		assert_int_equal(r.changed, 0);
		dialog_reply_free(&r);
		assert_true(fabs(dialog_filter(d)->price_max - 5) < 1e-9);
		assert_int_equal(dialog_filter(d)->supplier_countries.n, 1);
	}
	dialog_reply r;
	say(state, "/compare", &r);
	assert_true(r.is_command);
	dialog_reply_free(&r);
}

static void test_keywords_replace_or_refine(void **state)
{
	dialog *d = *state;
	say_(state, "yoga mats");
	say_(state, "TPE");
	assert_true(strlist_has(&dialog_filter(d)->keywords, "mat"));
	assert_true(strlist_has(&dialog_filter(d)->keywords, "tpe"));
	/* another category replaces the product */
	say_(state, "dog leashes");
	assert_false(strlist_has(&dialog_filter(d)->keywords, "mat"));
	assert_true(strlist_has(&dialog_filter(d)->keywords, "leash"));
}

static void test_edit_and_set(void **state)
{
	dialog *d = *state;
	filter_delta delta;
	filter_delta_init(&delta);
	delta.set = 1u << FF_MOQ_MAX;
	delta.f.moq_max = 200;
	dialog_reply r;
	souk_err e;
	assert_int_equal(dialog_edit(d, &delta, &r, &e), 0);
	assert_int_equal(r.changed, 1u << FF_MOQ_MAX);
	assert_non_null(strstr(r.text, "MOQ at most 200"));
	dialog_reply_free(&r);
	filter_delta_free(&delta);
	assert_int_equal(dialog_undo(d, &r), 1);
	dialog_reply_free(&r);
	assert_true(dialog_filter(d)->moq_max < 0);

	souk_filter f;
	filter_init(&f);
	f.quantity = 42;
	dialog_set_filter(d, &f);
	filter_free(&f);
	assert_true(fabs(dialog_filter(d)->quantity - 42) < 1e-9);
	assert_int_equal(dialog_undo(d, &r), 0);
	dialog_reply_free(&r);
}

static void test_cheaper_without_catalog(void **state)
{
	dialog *d = *state;
	dialog_reply r;
	say(state, "cheaper", &r);
	assert_non_null(strstr(r.text, "Cheaper than what"));
	dialog_reply_free(&r);
	say_(state, "pet beds under $20");
	say(state, "cheaper", &r);
	dialog_reply_free(&r);
	assert_true(fabs(dialog_filter(d)->price_max - 16) < 1e-9);
	say(state, "more like #3", &r);
	assert_int_equal(r.similar_to_row, 3);
	dialog_reply_free(&r);
}

static void test_explore_without_catalog(void **state)
{
	dialog_reply r;
	say(state, "I want to explore the idea of pickleball", &r);
	assert_non_null(strstr(r.text, "Overview of pickleball"));
	assert_non_null(strstr(r.text, "Pickleball paddles"));
	assert_non_null(r.question);
	dialog_reply_free(&r);
}

static void test_bare_country_is_the_market(void **state)
{
	dialog *d = *state;
	say_(state, "yoga mats");
	say_(state, "$8");
	say_(state, "the US");
	assert_string_equal(dialog_filter(d)->market, "US");
	assert_int_equal(dialog_filter(d)->supplier_countries.n, 0);
	say_(state, "from China");
	say_(state, "actually Vietnam");
	assert_int_equal(dialog_filter(d)->supplier_countries.n, 1);
	assert_string_equal(dialog_filter(d)->supplier_countries.v[0], "VN");
	assert_string_equal(dialog_filter(d)->market, "US");
}

static void test_scaling_the_state(void **state)
{
	dialog *d = *state;
	dialog_reply r;
	say_(state, "mugs");
	say(state, "double the quantity", &r);
	assert_int_equal(r.changed, 0);
	assert_non_null(strstr(r.text, "no quantity yet"));
	assert_null(strstr(r.text, "did not find"));
	dialog_reply_free(&r);
	say_(state, "500 units");
	say(state, "double the quantity", &r);
	assert_int_equal(r.changed, 1u << FF_QUANTITY);
	dialog_reply_free(&r);
	assert_true(fabs(dialog_filter(d)->quantity - 1000) < 1e-9);
	say_(state, "halve that");
	assert_true(fabs(dialog_filter(d)->quantity - 500) < 1e-9);
}

static void test_branch_offer(void **state)
{
	dialog_reply r;
	say(state, "toys for Germany", &r);
	assert_non_null(r.question);
	assert_non_null(strstr(r.question, "Toys for Germany"));
	assert_non_null(strstr(r.question, "EN71"));
	dialog_reply_free(&r);
	say_(state, "yes");
	assert_true(strlist_has(&dialog_filter(*state)->certifications, "EN71"));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_reply_says_what_changed),
	        T(test_undo_steps),
	        T(test_questions_never_repeat),
	        T(test_short_answers),
	        T(test_offer_declined),
	        T(test_bad_turns_keep_state),
	        T(test_keywords_replace_or_refine),
	        T(test_edit_and_set),
	        T(test_cheaper_without_catalog),
	        T(test_explore_without_catalog),
	        T(test_bare_country_is_the_market),
	        T(test_scaling_the_state),
	        T(test_branch_offer),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
