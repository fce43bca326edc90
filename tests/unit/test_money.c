/* Unit tests for core/money: FX, tier pricing, freight, duty and landed cost. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "money.h"
#include "test_assets.h"

static char tmpdir[] = "/tmp/souk-test-money-XXXXXX";

static char *write_tmp(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static const char *fx_text = "# rates as of 2026-11-01, units of currency per 1 USD\n"
                             "USD\t1\nEUR\t0.8\nJPY\t150\nCNY\t7.5\n";
static const char *freight_text = "# freight\n"
                                  "*\t*\t1.0\t200\n"
                                  "CN\tUS\t0.5\t100\n"
                                  "*\tUS\t0.7\t150\n"
                                  "CN\tEU\t0.4\t80\n";
static const char *duty_text = "# duty estimates as of 2026-10-15\n"
                               "*\t*\t0.05\n"
                               "*\tUS\t0.03\n"
                               "apparel\tUS\t0.16\n"
                               "apparel/shoes\tUS\t0.20\n"
                               "apparel\tEU\t0.12\n";

static money_tables *load_fixture(void)
{
	souk_err e;
	char *fx = write_tmp("fx.tsv", fx_text);
	char *fr = write_tmp("freight.tsv", freight_text);
	char *du = write_tmp("duty.tsv", duty_text);
	money_tables *t = money_load_files(fx, fr, du, &e);

	if (!t)
		fail_msg("%s", e.msg);
	money_attach_ref(t, test_ref()); /* which countries are in the EU */
	free(fx);
	free(fr);
	free(du);
	return t;
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	const char *names[] = {"fx.tsv", "freight.tsv", "duty.tsv", "bad.tsv"};

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		char *p = xasprintf("%s/%s", tmpdir, names[i]);
		unlink(p);
		free(p);
	}
	rmdir(tmpdir);
	return 0;
}

static void test_fx(void **state)
{
	money_tables *t = load_fixture();
	souk_err e;
	double v;

	(void)state;
	assert_string_equal(money_fx_date(t), "2026-11-01");
	assert_string_equal(money_duty_date(t), "2026-10-15");
	assert_true(money_known_currency(t, "eur"));
	assert_false(money_known_currency(t, "XXX"));
	assert_int_equal(money_convert(t, 10, "USD", "EUR", &v, &e), 0);
	assert_float_equal(v, 8, 1e-9);
	assert_int_equal(money_convert(t, 150, "JPY", "USD", &v, &e), 0);
	assert_float_equal(v, 1, 1e-9);
	assert_int_equal(money_convert(t, 75, "CNY", "EUR", &v, &e), 0);
	assert_float_equal(v, 8, 1e-9);
	assert_int_equal(money_convert(t, 1, "USD", "ZZZ", &v, &e), -1);
	assert_non_null(strstr(e.msg, "ZZZ"));
	money_free(t);
}

static void test_shipped_tables_load(void **state)
{
	const char *assets = getenv("SOUK_ASSETS");
	souk_err e;
	money_tables *t;
	double v;

	(void)state;
	if (!assets)
		skip();
	t = money_load(assets, &e);
	if (!t)
		fail_msg("%s", e.msg);
	assert_int_equal(strlen(money_fx_date(t)), 10);
	assert_int_equal(strlen(money_duty_date(t)), 10);
	const char *codes[] = {"USD", "EUR", "GBP", "CNY", "JPY",
	                       "INR", "VND", "TRY", "CAD", "AUD"};
	for (size_t i = 0; i < sizeof(codes) / sizeof(*codes); i++)
		assert_true(money_known_currency(t, codes[i]));
	/* round trips through every currency come back */
	assert_int_equal(money_convert(t, 100, "USD", "VND", &v, &e), 0);
	assert_int_equal(money_convert(t, v, "VND", "USD", &v, &e), 0);
	assert_float_equal(v, 100, 1e-6);
	/* a route the table does not name still gets the default row */
	assert_true(money_freight_usd(t, "ZW", "BR", 1, 0.001) > 0);
	money_free(t);
}

static void test_bad_tables(void **state)
{
	souk_err e;
	char *fx = write_tmp("fx.tsv", fx_text);
	char *fr = write_tmp("freight.tsv", freight_text);
	char *du = write_tmp("duty.tsv", duty_text);
	char *bad;
	money_tables *t;

	(void)state;
	bad = write_tmp("bad.tsv", "# x\n*\t*\t0.05\napparel\tUS\tlots\n");
	t = money_load_files(fx, fr, bad, &e);
	assert_null(t);
	assert_non_null(strstr(e.msg, "bad.tsv:3: "));
	free(bad);
	bad = write_tmp("bad.tsv", "USD\t1\nEUR\t-1\n");
	assert_null(money_load_files(bad, fr, du, &e));
	assert_non_null(strstr(e.msg, "bad.tsv:2: "));
	free(bad);
	bad = write_tmp("bad.tsv", "EUR\t0.9\n"); /* no USD row */
	assert_null(money_load_files(bad, fr, du, &e));
	assert_non_null(strstr(e.msg, "USD"));
	free(bad);
	bad = write_tmp("bad.tsv", "CN\tUS\t0.5\n"); /* a freight row short of a field */
	assert_null(money_load_files(fx, bad, du, &e));
	assert_non_null(strstr(e.msg, "bad.tsv:1: "));
	free(bad);
	unlink(du);
	assert_null(money_load(tmpdir, &e)); /* duty.tsv missing */
	free(du);
	free(fx);
	free(fr);
}

static void test_tiers(void **state)
{
	money_tier t[] = {{1000, 4.0}, {100, 5.5}, {500, 4.8}};

	(void)state;
	money_tiers_sort(t, 3);
	assert_int_equal(t[0].min_qty, 100);
	assert_int_equal(t[2].min_qty, 1000);
	assert_int_equal(money_tier_at(t, 3, -1), 0); /* unknown quantity: first tier */
	assert_int_equal(money_tier_at(t, 3, 10), 0); /* below the MOQ: first tier */
	assert_int_equal(money_tier_at(t, 3, 100), 0);
	assert_int_equal(money_tier_at(t, 3, 499), 0);
	assert_int_equal(money_tier_at(t, 3, 500), 1);
	assert_int_equal(money_tier_at(t, 3, 999), 1);
	assert_int_equal(money_tier_at(t, 3, 1000), 2);
	assert_int_equal(money_tier_at(t, 3, 1e9), 2);
	assert_int_equal(money_next_break(t, 3, -1), 1);
	assert_int_equal(money_next_break(t, 3, 10), 1);
	assert_int_equal(money_next_break(t, 3, 500), 2);
	assert_int_equal(money_next_break(t, 3, 1000), -1);
	assert_int_equal(money_tier_at(t, 0, 5), -1);
	assert_int_equal(money_next_break(t, 0, 5), -1);
	assert_int_equal(money_next_break(t, 1, 5), -1);
}

static void test_freight(void **state)
{
	money_tables *t = load_fixture();

	(void)state;
	/* exact lane; the weight term wins (0.5*2 = 1.0 > 100*0.005 = 0.5) */
	assert_float_equal(money_freight_usd(t, "CN", "US", 2, 0.005), 1.0, 1e-9);
	/* the volume term wins */
	assert_float_equal(money_freight_usd(t, "CN", "US", 0.1, 0.02), 2.0, 1e-9);
	/* origin not listed: the market's row */
	assert_float_equal(money_freight_usd(t, "VN", "US", 1, 0), 0.7, 1e-9);
	/* EU member maps to the EU lane */
	assert_float_equal(money_freight_usd(t, "CN", "DE", 1, 0), 0.4, 1e-9);
	/* nothing specific: default row */
	assert_float_equal(money_freight_usd(t, "VN", "JP", 1, 0), 1.0, 1e-9);
	/* unknown size: unknown freight */
	assert_true(money_freight_usd(t, "CN", "US", -1, -1) < 0);
	money_free(t);
}

static void test_duty(void **state)
{
	money_tables *t = load_fixture();

	(void)state;
	assert_float_equal(money_duty_rate(t, "apparel/shoes/running", "US"), 0.20, 1e-9);
	assert_float_equal(money_duty_rate(t, "apparel/shirts", "US"), 0.16, 1e-9);
	assert_float_equal(money_duty_rate(t, "Apparel/shirts", "FR"), 0.12, 1e-9);
	assert_float_equal(money_duty_rate(t, "toys/blocks", "US"), 0.03, 1e-9);
	assert_float_equal(money_duty_rate(t, "toys/blocks", "JP"), 0.05, 1e-9);
	assert_float_equal(money_duty_rate(t, NULL, "JP"), 0.05, 1e-9);
	money_free(t);
}

static void test_landed(void **state)
{
	money_tables *t = load_fixture();
	money_landed_in in = {.price = 10,
	                      .currency = "USD",
	                      .incoterm = "FOB",
	                      .origin = "CN",
	                      .market = "US",
	                      .category = "apparel/shirts",
	                      .weight_kg = 2,
	                      .volume_m3 = 0.005};

	(void)state;
	/* FOB: price + freight 1.0 + duty 16 % of 10 */
	assert_float_equal(money_landed(t, &in), 10 + 1.0 + 1.6, 1e-9);
	in.incoterm = NULL; /* unknown incoterm counts as FOB */
	assert_float_equal(money_landed(t, &in), 12.6, 1e-9);
	in.incoterm = "EXW";
	assert_float_equal(money_landed(t, &in), 12.6, 1e-9);
	in.incoterm = "CIF"; /* freight paid by the seller: duty only */
	assert_float_equal(money_landed(t, &in), 11.6, 1e-9);
	in.incoterm = "DDP";
	assert_float_equal(money_landed(t, &in), 10, 1e-9);
	/* in EUR, freight (USD 1.0) converts at 0.8 */
	in.incoterm = "FOB";
	in.currency = "EUR";
	in.price = 8;
	assert_float_equal(money_landed(t, &in), 8 + 0.8 + 8 * 0.16, 1e-9);
	/* unknowns */
	in.market = NULL;
	assert_true(money_landed(t, &in) < 0);
	in.market = "US";
	in.weight_kg = in.volume_m3 = -1;
	assert_true(money_landed(t, &in) < 0);
	in.incoterm = "CIF"; /* no freight needed */
	assert_float_equal(money_landed(t, &in), 8 * 1.16, 1e-9);
	money_free(t);
}

static void test_region(void **state)
{
	const money_tables *t = ref_money(test_ref());

	(void)state;
	assert_string_equal(money_region(t, "DE"), "EU");
	assert_string_equal(money_region(t, "fr"), "EU");
	assert_null(money_region(t, "GB"));
	assert_null(money_region(t, "US"));
	assert_null(money_region(t, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_fx),         cmocka_unit_test(test_shipped_tables_load),
	        cmocka_unit_test(test_bad_tables), cmocka_unit_test(test_tiers),
	        cmocka_unit_test(test_freight),    cmocka_unit_test(test_duty),
	        cmocka_unit_test(test_landed),     cmocka_unit_test(test_region),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
