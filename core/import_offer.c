/* import_offer: one offer into the catalog: header names, known suppliers, tiers, attributes, the
 * inserts. */
#include "import_int.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Header names after normalising (lower case, runs of anything else than
 * letters and digits become one '_'). */
static const struct alias {
	const char *name;
	int field;
} aliases[] = {
        {"title", F_TITLE},
        {"product", F_TITLE},
        {"product_name", F_TITLE},
        {"product_title", F_TITLE},
        {"name", F_TITLE},
        {"item", F_TITLE},
        {"item_name", F_TITLE},
        {"description", F_DESC},
        {"desc", F_DESC},
        {"details", F_DESC},
        {"product_description", F_DESC},
        {"category", F_CATEGORY},
        {"product_category", F_CATEGORY},
        {"category_path", F_CATEGORY},
        {"price", F_PRICE},
        {"unit_price", F_PRICE},
        {"price_per_unit", F_PRICE},
        {"price_per_piece", F_PRICE},
        {"fob_price", F_PRICE},
        {"unit_cost", F_PRICE},
        {"cost", F_PRICE},
        {"tiers", F_TIERS},
        {"price_tiers", F_TIERS},
        {"tier_prices", F_TIERS},
        {"price_breaks", F_TIERS},
        {"currency", F_CURRENCY},
        {"ccy", F_CURRENCY},
        {"moq", F_MOQ},
        {"min_order", F_MOQ},
        {"min_order_qty", F_MOQ},
        {"min_order_quantity", F_MOQ},
        {"minimum_order", F_MOQ},
        {"minimum_order_quantity", F_MOQ},
        {"min_qty", F_MOQ},
        {"moq_unit", F_MOQ_UNIT},
        {"unit", F_MOQ_UNIT},
        {"lead_time", F_LEAD},
        {"lead_time_days", F_LEAD},
        {"leadtime", F_LEAD},
        {"lead_days", F_LEAD},
        {"delivery_time", F_LEAD},
        {"delivery_days", F_LEAD},
        {"production_time", F_LEAD},
        {"samples", F_SAMPLES},
        {"sample", F_SAMPLES},
        {"sample_available", F_SAMPLES},
        {"samples_available", F_SAMPLES},
        {"sample_price", F_SAMPLE_PRICE},
        {"sample_cost", F_SAMPLE_PRICE},
        {"customization", F_CUSTOM},
        {"customisation", F_CUSTOM},
        {"custom", F_CUSTOM},
        {"oem_odm", F_CUSTOM},
        {"incoterm", F_INCOTERM},
        {"incoterms", F_INCOTERM},
        {"trade_terms", F_INCOTERM},
        {"port", F_PORT},
        {"loading_port", F_PORT},
        {"port_of_loading", F_PORT},
        {"weight", F_WEIGHT},
        {"weight_kg", F_WEIGHT},
        {"unit_weight", F_WEIGHT},
        {"unit_weight_kg", F_WEIGHT},
        {"volume", F_VOLUME},
        {"volume_m3", F_VOLUME},
        {"cbm", F_VOLUME},
        {"unit_volume", F_VOLUME},
        {"certifications", F_CERTS},
        {"certification", F_CERTS},
        {"certs", F_CERTS},
        {"certificates", F_CERTS},
        {"product_certifications", F_CERTS},
        {"compliance", F_CERTS},
        {"attributes", F_ATTRS},
        {"supplier", S_NAME},
        {"supplier_name", S_NAME},
        {"company", S_NAME},
        {"company_name", S_NAME},
        {"vendor", S_NAME},
        {"manufacturer", S_NAME},
        {"factory", S_NAME},
        {"seller", S_NAME},
        {"country", S_COUNTRY},
        {"supplier_country", S_COUNTRY},
        {"country_of_origin", S_COUNTRY},
        {"origin", S_COUNTRY},
        {"city", S_CITY},
        {"supplier_city", S_CITY},
        {"business_type", S_TYPE},
        {"supplier_type", S_TYPE},
        {"company_type", S_TYPE},
        {"verified", S_VERIFIED},
        {"verified_supplier", S_VERIFIED},
        {"trade_assurance", S_TA},
        {"year_established", S_YEAR},
        {"established", S_YEAR},
        {"founded", S_YEAR},
        {"year_founded", S_YEAR},
        {"est", S_YEAR}, /* "Est.", "est": the founding year as letterheads write it */
        {"year_est", S_YEAR},
        {"est_year", S_YEAR},
        {"established_year", S_YEAR},
        {"established_in", S_YEAR},
        {"year_of_establishment", S_YEAR},
        {"founded_in", S_YEAR},
        {"rating", S_RATING},
        {"supplier_rating", S_RATING},
        {"review_count", S_REVIEWS},
        {"reviews", S_REVIEWS},
        {"response_rate", S_RESP_RATE},
        {"response_time", S_RESP_HOURS},
        {"response_hours", S_RESP_HOURS},
        {"response_time_hours", S_RESP_HOURS},
        {"on_time_rate", S_ONTIME},
        {"on_time_delivery", S_ONTIME},
        {"on_time_delivery_rate", S_ONTIME},
        {"reorder_rate", S_REORDER},
        {"repeat_buyer_rate", S_REORDER},
        {"staff", S_STAFF},
        {"employees", S_STAFF},
        {"export_markets", S_MARKETS},
        {"markets", S_MARKETS},
        {"main_markets", S_MARKETS},
        {"supplier_certifications", S_CERTS},
        {"supplier_certs", S_CERTS},
        {"company_certifications", S_CERTS},
        {"factory_certifications", S_CERTS},
        {"supplier_id", S_ID},
        {"id", F_IGNORE},
        {"product_id", F_IGNORE},
};

static void header_norm(const char *s, size_t n, char *out, size_t cap)
{
	size_t k = 0;
	int gap = 0;

	for (size_t i = 0; i < n && k + 2 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isalnum(c)) {
			if (gap && k)
				out[k++] = '_';
			out[k++] = (char)tolower(c);
			gap = 0;
		} else
			gap = 1;
	}
	out[k] = '\0';
}

/* Maps a header to a field. In a nested supplier object "name", "id",
 * "type" and "certifications" are the supplier's own. */
int import_header_field(const souk_ref *ref, const char *raw, size_t n, int in_supplier, long *qty,
                        const char **cur_hint)
{
	char key[96], *tail;
	size_t len;

	header_norm(raw, n, key, sizeof key);
	*qty = 0;
	*cur_hint = NULL;
	if (in_supplier) {
		if (!strcmp(key, "name"))
			return S_NAME;
		if (!strcmp(key, "id"))
			return S_ID;
		if (!strcmp(key, "type"))
			return S_TYPE;
		if (!strcmp(key, "certifications") || !strcmp(key, "certs"))
			return S_CERTS;
	}
	for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++)
		if (!strcmp(key, aliases[i].name))
			return aliases[i].field;
	len = strlen(key);
	/* "price_usd", "unit_price_eur": a price with its currency. */
	if (len > 4 && key[len - 4] == '_') {
		const char *cur = import_currency(ref, key + len - 3);
		key[len - 4] = '\0';
		for (size_t i = 0; cur && i < sizeof aliases / sizeof *aliases; i++)
			if (!strcmp(key, aliases[i].name) && aliases[i].field == F_PRICE) {
				*cur_hint = cur;
				return F_PRICE;
			}
		key[len - 4] = '_';
	}
	/* "price_100", "price_1000_pcs", "price_at_500", "price_500_usd". */
	if (strncmp(key, "price", 5) == 0 && (tail = strpbrk(key, "0123456789")) != NULL) {
		*qty = strtol(tail, NULL, 10);
		if (*qty > 0)
			return F_PRICE_AT;
	}
	return F_ATTR;
}

static void supplier_key(strbuf *k, const char *name, const char *country)
{
	k->len = 0;
	sb_add(k, country);
	sb_addc(k, '\x1f');
	sb_add(k, name);
}

/* The id of a known supplier key, or 0. */
static long supmap_find(const importer *im)
{
	long i = map_findn(im->sups, im->key.s, im->key.len);

	return i < 0 ? 0 : (long)map_num(im->sups, i);
}

static void supmap_put(importer *im, long id)
{
	map_set_num(im->sups, map_addn(im->sups, im->key.s, im->key.len, NULL), id);
}

int import_supmap_load(importer *im)
{
	sqlite3_stmt *st;
	int rc;

	im->sups = map_new(MAP_NOCASE);
	if (sqlite3_prepare_v2(im->db, "SELECT id, name, country FROM suppliers", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		supplier_key(&im->key, (const char *)sqlite3_column_text(st, 1),
		             (const char *)sqlite3_column_text(st, 2));
		if (supmap_find(im) == 0)
			supmap_put(im, sqlite3_column_int64(st, 0));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The taxonomy (reference data) lets "Yoga mats" or "yoga mat" land on
 * sports/yoga/mats. */
static const char *taxonomy_match(const importer *im, const char *s)
{
	size_t n = strlen(s);
	int ntax = im->o->assets ? ref_taxonomy_count(im->ref) : 0;
	const ref_category *c = ntax ? ref_taxonomy_find(im->ref, s) : NULL;

	if (c)
		return c->path;
	for (int i = 0; i < ntax; i++)
		if (strcasecmp(ref_taxonomy_at(im->ref, i)->name, s) == 0)
			return ref_taxonomy_at(im->ref, i)->path;
	/* A buyer's term, singular or with a plural s. */
	for (int pass = 0; pass < 2; pass++) {
		size_t k = pass ? n - 1 : n;
		if (pass && (n < 2 || tolower((unsigned char)s[n - 1]) != 's'))
			break;
		for (int i = 0; i < ntax; i++) {
			c = ref_taxonomy_at(im->ref, i);
			for (int t = 0; t < c->nterms; t++)
				if (strlen(c->terms[t]) == k && strncasecmp(c->terms[t], s, k) == 0)
					return c->path;
		}
	}
	return NULL;
}

int import_fail_row(importer *im, const char *fmt, ...)
{
	va_list ap;
	char raw[256];
	char *clean;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	/* The reason quotes the data: keep terminal escapes out of it. */
	clean = text_sanitize(raw, 0);
	snprintf(im->why, sizeof im->why, "%s", clean);
	free(clean);
	return -1;
}
/* By quantity (all different). A handful of tiers: insertion sort, which
 * unlike qsort neither allocates nor calls back. */
static void tiers_sort(tier *t, int n)
{
	for (int i = 1; i < n; i++) {
		tier x = t[i];
		int j = i;
		for (; j > 0 && t[j - 1].qty > x.qty; j--)
			t[j] = t[j - 1];
		t[j] = x;
	}
}

static int add_tier(importer *im, tier *t, int *n, long qty, const char *val, const char **cur)
{
	double p;
	const char *c = NULL;

	if (import_parse_price(im->ref, val, &p, &c) < 0)
		return import_fail_row(im, "price '%.40s' is not a positive number", val);
	if (c) {
		if (*cur && strcmp(*cur, c) != 0)
			return import_fail_row(im, "prices in two currencies (%s and %s)", *cur, c);
		*cur = c;
	}
	for (int i = 0; i < *n; i++)
		if (t[i].qty == qty)
			return 0; /* the first price given for a quantity wins */
	if (*n >= MAX_AT)
		return import_fail_row(im, "more than %d price tiers", MAX_AT);
	t[*n].qty = qty;
	t[*n].price = p;
	(*n)++;
	return 0;
}

/* "100:2.5;500:2.1" (also "100-499: 2.50 | 500+: 2.10"). */
static int parse_tiers(importer *im, const char *s, tier *t, int *n, const char **cur)
{
	char item[96];

	while (*s) {
		size_t k = strcspn(s, ";|\n");
		const char *colon;
		char *dash;
		long qty;
		const char *unit;
		if (k >= sizeof item)
			return import_fail_row(im, "price tier '%.40s' is too long", s);
		memcpy(item, s, k);
		item[k] = '\0';
		s += k;
		if (*s)
			s++;
		if (import_empty(item))
			continue;
		colon = strchr(item, ':');
		if (colon == NULL)
			colon = strchr(item, '=');
		if (colon == NULL)
			return import_fail_row(im, "price tier '%s' is not QTY:PRICE", item);
		/* "100-499: 2.50" applies from 100 on: a tier starts at the lower
		 * end of its range (parse_count takes the upper end of "15-20 days") */
		dash = strchr(item, '-');
		if (dash != NULL && dash > item && dash < colon &&
		    isdigit((unsigned char)dash[-1]) && isdigit((unsigned char)dash[1]))
			*dash = '\0';
		if (import_parse_count(item, &qty, &unit) < 0 || qty <= 0)
			return import_fail_row(im, "price tier '%s' has no quantity", item);
		if (add_tier(im, t, n, qty, colon + 1, cur) < 0)
			return -1;
	}
	return 0;
}

/* An export market: a country or the EU (other groupings are not markets
 * a supplier names). */
static const char *market_code(const importer *im, const char *s)
{
	const ref_country *c = import_country_ref(im->ref, s);

	return c && (c->nmembers == 0 || strcmp(c->code, "EU") == 0) ? c->code : NULL;
}

static int parse_markets(importer *im, const char *s, strbuf *out)
{
	int eu = 0;

	out->len = 0;
	sb_addc(out, ' ');
	while (*s) {
		size_t n = strcspn(s, ",;|/\n");
		char item[64];
		const char *a = s;
		size_t m = n;
		import_trim_span(&a, &m);
		s += n;
		if (*s)
			s++;
		if (m == 0)
			continue;
		if (m >= sizeof item)
			return import_fail_row(im, "export market '%.40s' is not a country", a);
		memcpy(item, a, m);
		item[m] = '\0';
		/* Space-separated codes ("US DE GB") are common too. */
		if (strchr(item, ' ') && market_code(im, item) == NULL) {
			char *tok, *save = NULL;
			for (tok = strtok_r(item, " ", &save); tok;
			     tok = strtok_r(NULL, " ", &save)) {
				const char *c = market_code(im, tok);
				if (c == NULL)
					return import_fail_row(
					        im, "export market '%s' is not a country", tok);
				sb_printf(out, "%s ", c);
				eu |= ref_is_eu(im->ref, c);
			}
			continue;
		}
		const char *c = market_code(im, item);
		if (c == NULL)
			return import_fail_row(im, "export market '%s' is not a country", item);
		sb_printf(out, "%s ", c);
		eu |= ref_is_eu(im->ref, c);
	}
	if (eu && strstr(out->s, " EU ") == NULL)
		sb_add(out, "EU ");
	if (out->len == 1)
		out->len = 0, out->s[0] = '\0';
	return 0;
}
/* Attributes: a JSON object given as is, "k=v; k=v", plus unknown columns. */
static int build_attrs(importer *im, const rec *r)
{
	cJSON *o = NULL;
	char *text;

	if (!import_empty(r->f[F_ATTRS])) {
		const char *s = r->f[F_ATTRS];
		while (isspace((unsigned char)*s))
			s++;
		if (*s == '{') {
			souk_err je;
			/* the one JSON standard: a cell's object is strict as a file is */
			o = json_parse_strict(s, strlen(s), &je);
			if (o == NULL || !cJSON_IsObject(o)) {
				cJSON_Delete(o);
				return import_fail_row(im, "attributes are not a JSON object%s%s",
				                       o == NULL ? ": " : "",
				                       o == NULL ? je.msg : "");
			}
		} else {
			o = cJSON_CreateObject();
			char *copy = xstrdup(s), *tok, *save = NULL;
			for (tok = strtok_r(copy, ";|", &save); tok;
			     tok = strtok_r(NULL, ";|", &save)) {
				char *eq = strchr(tok, '=');
				if (eq == NULL)
					eq = strchr(tok, ':');
				if (eq == NULL)
					continue;
				*eq = '\0';
				char *k = tok, *v = eq + 1;
				size_t kn = strlen(k), vn = strlen(v);
				import_trim_span((const char **)&k, &kn);
				import_trim_span((const char **)&v, &vn);
				k[kn] = v[vn] = '\0';
				if (*k && *v && !cJSON_HasObjectItem(o, k))
					cJSON_AddStringToObject(o, text_lower(k), v);
			}
			free(copy);
		}
	}
	for (int i = 0; i < r->nattr; i++) {
		char key[64];
		if (import_empty(r->attr_val[i]))
			continue;
		if (o == NULL)
			o = cJSON_CreateObject();
		header_norm(r->attr_key[i], strlen(r->attr_key[i]), key, sizeof key);
		if (*key && !cJSON_HasObjectItem(o, key))
			cJSON_AddStringToObject(o, key,
			                        import_clean_text(r->attr_val[i], &im->tmp));
	}
	im->attrs.len = 0;
	if (o == NULL) {
		sb_add(&im->attrs, "{}");
		return 0;
	}
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	sb_add(&im->attrs, text ? text : "{}");
	free(text);
	return 0;
}

/* ---- writing one offer ---- */

static int bind_opt_real(importer *im, sqlite3_stmt *st, int i, const char *s, const char *what,
                         double lo, double hi, int rate)
{
	double v;

	if (import_empty(s)) {
		sqlite3_bind_null(st, i);
		return 0;
	}
	if ((rate ? import_parse_rate(s, &v) : import_parse_real(s, &v)) < 0 || v < lo || v > hi)
		return import_fail_row(im, "%s '%.40s' is not a number from %g to %g", what, s, lo,
		                       hi);
	sqlite3_bind_double(st, i, v);
	return 0;
}

static int bind_opt_int(importer *im, sqlite3_stmt *st, int i, const char *s, const char *what,
                        long lo, long hi)
{
	long v;
	const char *unit;

	if (import_empty(s)) {
		sqlite3_bind_null(st, i);
		return 0;
	}
	if (import_parse_count(s, &v, &unit) < 0 || v < lo || v > hi)
		return import_fail_row(im, "%s '%.40s' is not a whole number from %ld to %ld", what,
		                       s, lo, hi);
	sqlite3_bind_int64(st, i, v);
	return 0;
}

static int db_fail(importer *im)
{
	snprintf(im->why, sizeof im->why, "the catalog refused a write: %s",
	         sqlite3_errmsg(im->db));
	return DB_FAILED;
}

static int supplier_type(importer *im, const char *t, const char **type)
{
	*type = "manufacturer";
	if (import_empty(t))
		return 0;
	while (isspace((unsigned char)*t))
		t++;
	if (strncasecmp(t, "trad", 4) == 0 || strncasecmp(t, "agent", 5) == 0 ||
	    strncasecmp(t, "wholesal", 8) == 0 || strncasecmp(t, "distribut", 9) == 0)
		*type = "trading";
	else if (strncasecmp(t, "manuf", 5) && strncasecmp(t, "factory", 7) &&
	         strncasecmp(t, "producer", 8))
		return import_fail_row(im, "business type '%.40s' is not manufacturer or trading",
		                       t);
	return 0;
}

/* Checks and binds a new supplier's columns (all but the name). */
static int supplier_bind(importer *im, const rec *r, const char *country)
{
	sqlite3_stmt *st = im->ins_sup;
	const char *type;

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	sqlite3_bind_text(st, 2, country, -1, SQLITE_STATIC);
	if (!import_empty(r->f[S_CITY]))
		sqlite3_bind_text(st, 3, import_clean_text(r->f[S_CITY], &im->city), -1,
		                  SQLITE_STATIC);
	if (supplier_type(im, r->f[S_TYPE], &type) < 0)
		return -1;
	sqlite3_bind_text(st, 4, type, -1, SQLITE_STATIC);
	for (int i = 0; i < 2; i++) {
		const char *v = r->f[i ? S_TA : S_VERIFIED];
		int b = 0;
		if (!import_empty(v) && import_parse_bool(v, &b) < 0)
			return import_fail_row(im, "%s '%.40s' is not yes or no",
			                       i ? "trade assurance" : "verified", v);
		/* trade assurance the file does not state stays unknown (NULL);
		 * an unverified supplier is what "verified" filters leave out */
		if (i && import_empty(v))
			sqlite3_bind_null(st, 5 + i);
		else
			sqlite3_bind_int(st, 5 + i, b);
	}
	if (bind_opt_int(im, st, 7, r->f[S_YEAR], "year established", 1800, 2100) < 0 ||
	    bind_opt_real(im, st, 8, r->f[S_RATING], "rating", 0, 5, 0) < 0 ||
	    bind_opt_int(im, st, 9, r->f[S_REVIEWS], "review count", 0, 100000000) < 0 ||
	    bind_opt_real(im, st, 10, r->f[S_RESP_RATE], "response rate", 0, 1, 1) < 0 ||
	    bind_opt_real(im, st, 11, r->f[S_RESP_HOURS], "response time", 0, 10000, 0) < 0 ||
	    bind_opt_real(im, st, 12, r->f[S_ONTIME], "on-time rate", 0, 1, 1) < 0 ||
	    bind_opt_real(im, st, 13, r->f[S_REORDER], "reorder rate", 0, 1, 1) < 0 ||
	    bind_opt_int(im, st, 14, r->f[S_STAFF], "staff", 0, 10000000) < 0)
		return -1;
	if (import_empty(r->f[S_REVIEWS]))
		sqlite3_bind_int(st, 9, 0);
	if (import_empty(r->f[S_MARKETS]))
		sqlite3_bind_text(st, 15, "", 0, SQLITE_STATIC);
	else if (parse_markets(im, r->f[S_MARKETS], &im->markets) < 0)
		return -1;
	else
		sqlite3_bind_text(st, 15, im->markets.s, (int)im->markets.len, SQLITE_TRANSIENT);
	import_join_certs(im->ref, r->f[S_CERTS], &im->scerts, 1);
	sqlite3_bind_text(st, 16, im->scerts.s, (int)im->scerts.len, SQLITE_TRANSIENT);
	return 0;
}

/* The supplier's id: a known one (same name and country), or a new row. */
static int supplier_id(importer *im, const rec *r, const char *country, long *id)
{
	const char *name = import_clean_text(r->f[S_NAME], &im->sname);

	supplier_key(&im->key, name, country);
	*id = supmap_find(im);
	if (*id > 0)
		return 0;
	if (supplier_bind(im, r, country) < 0)
		return -1;
	sqlite3_bind_text(im->ins_sup, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(im->ins_sup) != SQLITE_DONE)
		return db_fail(im);
	*id = sqlite3_last_insert_rowid(im->db);
	supmap_put(im, *id);
	im->st->new_suppliers++;
	return 0;
}

/* The probe's part of supplier_id: a new supplier's columns are checked. */
static int supplier_check(importer *im, const rec *r, const char *country)
{
	supplier_key(&im->key, import_clean_text(r->f[S_NAME], &im->sname), country);
	if (supmap_find(im) > 0)
		return 0;
	return supplier_bind(im, r, country);
}

static const char *moq_unit(const rec *r, const char *from_moq, char *buf, size_t cap)
{
	const char *u = import_empty(r->f[F_MOQ_UNIT]) ? from_moq : r->f[F_MOQ_UNIT];
	size_t k = 0;

	while (u && isspace((unsigned char)*u))
		u++;
	for (; u && u[k] && k + 1 < cap && (isalpha((unsigned char)u[k]) || u[k] == ' '); k++)
		buf[k] = (char)tolower((unsigned char)u[k]);
	while (k && buf[k - 1] == ' ')
		k--;
	buf[k] = '\0';
	if (k == 0 || !strcmp(buf, "pc") || !strcmp(buf, "piece") || !strcmp(buf, "pieces") ||
	    !strcmp(buf, "unit") || !strcmp(buf, "units") || !strcmp(buf, "pcs"))
		return "pcs";
	return buf;
}

/* Price tiers from the tiers column, price_QTY columns and the price at the MOQ. */
static int offer_tiers(importer *im, const rec *r, long *moq, tier *t, int *nt, const char **cur)
{
	*nt = 0;
	if (!import_empty(r->f[F_TIERS]) && parse_tiers(im, r->f[F_TIERS], t, nt, cur) < 0)
		return -1;
	for (int i = 0; i < r->nat; i++)
		if (!import_empty(r->at_val[i]) &&
		    add_tier(im, t, nt, r->at_qty[i], r->at_val[i], cur) < 0)
			return -1;
	tiers_sort(t, *nt);
	if (*moq == 0)
		*moq = *nt ? t[0].qty : 1;
	if (!import_empty(r->f[F_PRICE])) {
		double p;
		const char *c;
		/* checked even where the tiers already price the MOQ */
		if (import_parse_price(im->ref, r->f[F_PRICE], &p, &c) < 0)
			return import_fail_row(im, "price '%.40s' is not a positive number",
			                       r->f[F_PRICE]);
		if ((*nt == 0 || t[0].qty > *moq)) {
			if (add_tier(im, t, nt, *moq, r->f[F_PRICE], cur) < 0)
				return -1;
			tiers_sort(t, *nt);
		}
	}
	if (*nt == 0)
		return import_fail_row(
		        im, "no price (give a price column, price_QTY columns or tiers)");
	for (int i = 1; i < *nt; i++)
		if (t[i].price > t[i - 1].price)
			return import_fail_row(
			        im, "the price rises with quantity (%g from %ld, %g from %ld)",
			        t[i - 1].price, t[i - 1].qty, t[i].price, t[i].qty);
	return 0;
}

/* Checks the product's own columns and binds them to the insert.
 * Long: one check and one bind per column of the products table, in the
 * table's order, so a column added to the schema is one more pair here. */
static int product_bind(importer *im, const rec *r, tier *t, int *nt)
{
	sqlite3_stmt *st = im->ins_prod;
	long moq = 0, lead;
	int samples = -1; /* the file does not say: NULL, "not listed" */
	const char *cur = r->price_cur, *from_moq = NULL, *incoterm = NULL, *category;
	double lo, hi;

	/* Every parameter gets bound below, NULL included: clearing them all
	 * first cost more than binding a few. */
	sqlite3_reset(st);
	if (!import_empty(r->f[F_MOQ]) &&
	    (import_parse_count(r->f[F_MOQ], &moq, &from_moq) < 0 || moq <= 0))
		return import_fail_row(im, "MOQ '%.40s' is not a whole number from 1 to %ld",
		                       r->f[F_MOQ], IMPORT_COUNT_MAX);
	if (!import_empty(r->f[F_CURRENCY]) &&
	    (cur = import_currency(im->ref, r->f[F_CURRENCY])) == NULL)
		return import_fail_row(im, "currency '%.40s' is unknown (use an ISO code like USD)",
		                       r->f[F_CURRENCY]);
	if (offer_tiers(im, r, &moq, t, nt, &cur) < 0)
		return -1;
	if (cur == NULL)
		cur = "USD";
	if (im->money && !money_known_currency(im->money, cur))
		return import_fail_row(im, "currency %s is not in the FX table (assets/fx.tsv)",
		                       cur);
	lo = hi = t[0].price;
	for (int i = 1; i < *nt; i++) {
		lo = t[i].price < lo ? t[i].price : lo;
		hi = t[i].price > hi ? t[i].price : hi;
	}
	if (!import_empty(r->f[F_INCOTERM]) &&
	    (incoterm = import_parse_incoterm(r->f[F_INCOTERM])) == NULL)
		return import_fail_row(
		        im, "incoterm '%.40s' is not an Incoterm (EXW, FOB, CIF, DDP...)",
		        r->f[F_INCOTERM]);
	if (!import_empty(r->f[F_SAMPLES]) && import_parse_bool(r->f[F_SAMPLES], &samples) < 0) {
		double sp;
		const char *c;
		/* A sample column holding a price means samples are available. */
		if (import_parse_amount(im->ref, r->f[F_SAMPLES], &sp, &c) < 0)
			return import_fail_row(im, "samples '%.40s' is not yes or no",
			                       r->f[F_SAMPLES]);
		samples = 1;
	}
	/* a price for a sample says one is offered */
	if (samples < 0 && !import_empty(r->f[F_SAMPLE_PRICE]))
		samples = 1;
	if (!import_empty(r->f[F_LEAD])) {
		const char *u;
		if (import_parse_count(r->f[F_LEAD], &lead, &u) < 0 || lead > 3650)
			return import_fail_row(im, "lead time '%.40s' is not a number of days",
			                       r->f[F_LEAD]);
		if (strncasecmp(u, "week", 4) == 0 || strncasecmp(u, "wk", 2) == 0)
			lead *= 7;
		sqlite3_bind_int64(st, 8, lead);
	} else
		sqlite3_bind_null(st, 8);
	if (bind_opt_real(im, st, 10, r->f[F_SAMPLE_PRICE], "sample price", 0, 1e7, 0) < 0 ||
	    bind_opt_real(im, st, 15, r->f[F_WEIGHT], "weight", 0, 1e6, 0) < 0 ||
	    bind_opt_real(im, st, 16, r->f[F_VOLUME], "volume", 0, 1e4, 0) < 0 ||
	    build_attrs(im, r) < 0)
		return -1;
	import_join_certs(im->ref, r->f[F_CERTS], &im->certs, 1);
	import_join_certs(im->ref, r->f[F_CUSTOM], &im->custom, 0);
	text_lower(im->custom.s);
	sqlite3_bind_text(st, 2, import_clean_text(r->f[F_TITLE], &im->title), -1, SQLITE_STATIC);
	sqlite3_bind_text(
	        st, 3, import_empty(r->f[F_DESC]) ? "" : import_clean_text(r->f[F_DESC], &im->desc),
	        -1, SQLITE_STATIC);
	category =
	        import_empty(r->f[F_CATEGORY]) ? "" : import_clean_text(r->f[F_CATEGORY], &im->cat);
	if (*category) {
		const char *known = taxonomy_match(im, category);
		if (known)
			category = known;
	}
	sqlite3_bind_text(st, 4, category, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, im->attrs.s, (int)im->attrs.len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, moq);
	sqlite3_bind_text(st, 7, moq_unit(r, from_moq, im->unit, sizeof im->unit), -1,
	                  SQLITE_STATIC);
	if (samples < 0)
		sqlite3_bind_null(st, 9);
	else
		sqlite3_bind_int(st, 9, samples);
	sqlite3_bind_text(st, 11, im->custom.s, (int)im->custom.len, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, incoterm, -1, SQLITE_STATIC); /* NULL binds NULL */
	if (!import_empty(r->f[F_PORT]))
		sqlite3_bind_text(st, 13, import_clean_text(r->f[F_PORT], &im->port), -1,
		                  SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 13);
	sqlite3_bind_text(st, 14, cur, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 17, lo);
	sqlite3_bind_double(st, 18, hi);
	sqlite3_bind_text(st, 19, im->certs.s, (int)im->certs.len, SQLITE_STATIC);
	return 0;
}

/* The statement that inserts n rows (n >= 1) of tuple at once, prepared
 * on first use and kept in cache[n]; reset and ready to bind. */
static sqlite3_stmt *rows_insert(importer *im, sqlite3_stmt **cache, int n, const char *head,
                                 const char *tuple)
{
	if (cache[n] == NULL) {
		strbuf sql;
		sb_init(&sql);
		sb_add(&sql, head);
		for (int i = 0; i < n; i++) {
			if (i)
				sb_addc(&sql, ',');
			sb_add(&sql, tuple);
		}
		if (sqlite3_prepare_v2(im->db, sql.s, -1, &cache[n], NULL) != SQLITE_OK)
			cache[n] = NULL;
		sb_free(&sql);
		return cache[n];
	}
	sqlite3_reset(cache[n]);
	return cache[n];
}

/* OR FAIL, not the default OR ABORT: a statement of several rows that may
 * abort must copy each page it changes to a statement journal first, to
 * undo its own earlier rows. Any failure here rolls the whole import back
 * anyway, so there is nothing to undo. */
sqlite3_stmt *import_tiers_insert(importer *im, int n)
{
	return rows_insert(im, im->ins_tiers, n, "INSERT OR FAIL INTO price_tiers VALUES ",
	                   "(?, ?, ?)");
}

sqlite3_stmt *import_certs_insert(importer *im, int n)
{
	return rows_insert(im, im->ins_certs, n, "INSERT OR IGNORE INTO product_certs VALUES ",
	                   "(?, ?)");
}

/* Writes the pending tiers and certifications: a statement's start and
 * finish cost about as much as a row, so they go in TUPLES_AT_ONCE at a
 * time rather than a statement per product. 0, or DB_FAILED with
 * fail_line the row of the refused one (the rows before it in an OR FAIL
 * statement stay written, so sqlite3_changes() counts them). */
int import_rows_flush(importer *im)
{
	sqlite3_stmt *st;

	for (size_t i = 0; i < im->nqt; i += TUPLES_AT_ONCE) {
		int n = im->nqt - i < TUPLES_AT_ONCE ? (int)(im->nqt - i) : TUPLES_AT_ONCE;
		if ((st = import_tiers_insert(im, n)) == NULL)
			return db_fail(im);
		for (int k = 0; k < n; k++) {
			const qtier *q = &im->qt[i + (size_t)k];
			sqlite3_bind_int64(st, 3 * k + 1, q->pid);
			sqlite3_bind_int64(st, 3 * k + 2, q->qty);
			sqlite3_bind_double(st, 3 * k + 3, q->price);
		}
		if (sqlite3_step(st) != SQLITE_DONE) {
			int done = sqlite3_changes(im->db);
			im->fail_line = im->qt[i + (size_t)(done >= 0 && done < n ? done : 0)].line;
			return db_fail(im);
		}
	}
	for (size_t i = 0; i < im->nqc; i += TUPLES_AT_ONCE) {
		int n = im->nqc - i < TUPLES_AT_ONCE ? (int)(im->nqc - i) : TUPLES_AT_ONCE;
		if ((st = import_certs_insert(im, n)) == NULL)
			return db_fail(im);
		for (int k = 0; k < n; k++) {
			const qcert *q = &im->qc[i + (size_t)k];
			sqlite3_bind_int64(st, 2 * k + 1, q->pid);
			sqlite3_bind_text(st, 2 * k + 2, im->qnames.s + q->name, q->len,
			                  SQLITE_STATIC);
		}
		if (sqlite3_step(st) != SQLITE_DONE) {
			int done = sqlite3_changes(im->db);
			im->fail_line = im->qc[i + (size_t)(done >= 0 && done < n ? done : 0)].line;
			return db_fail(im);
		}
	}
	im->nqt = im->nqc = 0;
	im->qnames.len = 0;
	im->qrows = 0;
	return 0;
}

/* One offer: checks everything first, so a rejected row writes nothing.
 * Its tiers and certifications may wait for rows_flush. */
int import_offer_write(importer *im, const rec *r)
{
	tier t[MAX_AT + 1];
	int nt = 0, rc;
	long sid, pid;
	const char *country;
	const ref_country *ctry;

	if (import_empty(r->f[F_TITLE]))
		return import_fail_row(im, "no product title");
	if (import_empty(r->f[S_NAME]))
		return import_fail_row(im, "no supplier name");
	if (import_empty(r->f[S_COUNTRY]))
		return import_fail_row(im, "no supplier country");
	if ((ctry = import_country_ref(im->ref, r->f[S_COUNTRY])) == NULL || ctry->nmembers > 0)
		return import_fail_row(
		        im, "country '%.40s' is not a country (use a code like CN or a name)",
		        r->f[S_COUNTRY]);
	country = ctry->code;
	if (product_bind(im, r, t, &nt) < 0)
		return -1;
	if (im->dry)
		return supplier_check(im, r, country);
	if ((rc = supplier_id(im, r, country, &sid)) < 0)
		return rc;
	sqlite3_bind_int64(im->ins_prod, 1, sid);
	if (sqlite3_step(im->ins_prod) != SQLITE_DONE)
		return db_fail(im);
	pid = sqlite3_last_insert_rowid(im->db);
	for (int i = 0; i < nt; i++) {
		if (im->nqt == im->capqt) {
			im->capqt = im->capqt ? im->capqt * 2 : 256;
			im->qt = xrealloc(im->qt, im->capqt * sizeof *im->qt);
		}
		im->qt[im->nqt++] = (qtier){pid, t[i].qty, im->line, t[i].price};
	}
	for (const char *c = im->certs.s; c[0] && c[1];) {
		const char *end = strchr(c + 1, '|');
		if (end == NULL)
			break;
		if (im->nqc == im->capqc) {
			im->capqc = im->capqc ? im->capqc * 2 : 256;
			im->qc = xrealloc(im->qc, im->capqc * sizeof *im->qc);
		}
		im->qc[im->nqc++] = (qcert){pid, im->line, im->qnames.len, (int)(end - c - 1)};
		sb_addn(&im->qnames, c + 1, (size_t)(end - c - 1));
		c = end;
	}
	if (++im->qrows == ROWS_AT_ONCE)
		return import_rows_flush(im);
	return 0;
}
