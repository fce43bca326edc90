/* llm_tools: the tools a model may call (update_filters, search_summary, compare_offers,
 * similar_offers), their schemas, and the catalog summary. */
#include "llm_tools.h"

#include <cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

#define TOOLS_MAX_RANK    50
#define TOOLS_MAX_SIMILAR 10

/* ---- schemas ---- */

static cJSON *nullable(const char *type)
{
	cJSON *o = cJSON_CreateObject(), *t = cJSON_AddArrayToObject(o, "type");

	cJSON_AddItemToArray(t, cJSON_CreateString(type));
	cJSON_AddItemToArray(t, cJSON_CreateString("null"));
	return o;
}

/* Closes an object schema the way OpenAI's strict mode wants it. */
static cJSON *strict_object(cJSON *props)
{
	cJSON *o = cJSON_CreateObject(), *req = cJSON_CreateArray(), *p;

	cJSON_AddStringToObject(o, "type", "object");
	cJSON_ArrayForEach(p, props)
	{
		cJSON_AddItemToArray(req, cJSON_CreateString(p->string));
	}
	cJSON_AddItemToObject(o, "properties", props);
	cJSON_AddItemToObject(o, "required", req);
	cJSON_AddBoolToObject(o, "additionalProperties", 0);
	return o;
}

/* One property per filter field, typed by the field's storage. */
static cJSON *filter_props(void)
{
	cJSON *props = cJSON_CreateObject();
	souk_filter f;

	filter_init(&f);
	for (int i = 0; i < FF_COUNT; i++) {
		cJSON *p;
		if (filter_list_field(&f, i)) {
			p = nullable("array");
			cJSON_AddStringToObject(cJSON_AddObjectToObject(p, "items"), "type",
			                        "string");
		} else if (filter_number_field(&f, i))
			p = nullable("number");
		else if (filter_bool_field(&f, i))
			p = nullable("boolean");
		else
			p = nullable("string");
		cJSON_AddItemToObject(props, filter_field_name((enum filter_field)i), p);
	}
	filter_free(&f);
	return props;
}

static cJSON *delta_params(void)
{
	cJSON *props = cJSON_CreateObject(), *clear, *names;

	cJSON_AddItemToObject(props, "set", strict_object(filter_props()));
	clear = cJSON_AddObjectToObject(props, "clear");
	cJSON_AddStringToObject(clear, "type", "array");
	names = cJSON_CreateArray();
	for (int i = 0; i < FF_COUNT; i++)
		cJSON_AddItemToArray(names,
		                     cJSON_CreateString(filter_field_name((enum filter_field)i)));
	cJSON *items = cJSON_AddObjectToObject(clear, "items");
	cJSON_AddStringToObject(items, "type", "string");
	cJSON_AddItemToObject(items, "enum", names);
	cJSON_AddObjectToObject(props, "reset");
	cJSON_AddStringToObject(cJSON_GetObjectItem(props, "reset"), "type", "boolean");
	return strict_object(props);
}

static cJSON *tool(const char *name, const char *desc, cJSON *params)
{
	cJSON *t = cJSON_CreateObject(), *fn = cJSON_AddObjectToObject(t, "function");

	cJSON_AddStringToObject(t, "type", "function");
	cJSON_AddStringToObject(fn, "name", name);
	cJSON_AddStringToObject(fn, "description", desc);
	cJSON_AddBoolToObject(fn, "strict", 1);
	cJSON_AddItemToObject(fn, "parameters", params);
	return t;
}

static cJSON *int_prop(int nullable_)
{
	cJSON *p = nullable_ ? nullable("integer") : cJSON_CreateObject();

	if (!nullable_)
		cJSON_AddStringToObject(p, "type", "integer");
	return p;
}

cJSON *tools_schema(void)
{
	cJSON *a = cJSON_CreateArray(), *p;

	cJSON_AddItemToArray(
	        a, tool("update_filters",
	                "Change the buyer's filters. 'set' gives new values (null = unchanged), "
	                "'clear' names filters to remove, 'reset' starts from nothing. Returns "
	                "the new counts, or the reason the change was refused.",
	                delta_params()));
	cJSON_AddItemToArray(
	        a, tool("search_summary",
	                "Counts, supplier countries, certifications and price bands for the "
	                "current filters changed as given, without changing them.",
	                delta_params()));
	p = cJSON_CreateObject();
	cJSON_AddItemToObject(p, "ranks", cJSON_CreateObject());
	cJSON_AddStringToObject(cJSON_GetObjectItem(p, "ranks"), "type", "array");
	cJSON_AddItemToObject(cJSON_GetObjectItem(p, "ranks"), "items", int_prop(0));
	cJSON_AddStringToObject(cJSON_AddObjectToObject(p, "marked"), "type", "boolean");
	cJSON_AddItemToArray(a, tool("compare_offers",
	                             "The fields of offers by their rank (1 = best) in the "
	                             "current results, and with marked true of the offers the "
	                             "buyer marked, to compare them.",
	                             strict_object(p)));
	p = cJSON_CreateObject();
	cJSON_AddItemToObject(p, "rank", int_prop(0));
	cJSON_AddItemToObject(p, "count", int_prop(1));
	cJSON_AddItemToArray(a, tool("similar_offers",
	                             "Offers most like the one at this rank in the current "
	                             "results, from other products.",
	                             strict_object(p)));
	return a;
}

cJSON *tools_response_format(void)
{
	cJSON *rf = cJSON_CreateObject(), *js = cJSON_AddObjectToObject(rf, "json_schema");

	cJSON_AddStringToObject(rf, "type", "json_schema");
	cJSON_AddStringToObject(js, "name", "update_filters");
	cJSON_AddBoolToObject(js, "strict", 1);
	cJSON_AddItemToObject(js, "schema", delta_params());
	return rf;
}

void tools_outcome_free(tools_outcome *o)
{
	free(o->result);
	free(o->said);
	memset(o, 0, sizeof *o);
}

/* ---- update_filters: the same checks as --filters, then sense checks ---- */

/* What filter_from_cjson cannot know: codes that name no country, names
 * that are no certification, prices in the wrong order, no quantity. */
static int sense_check(llm_tools *t, const souk_filter *f, unsigned present, souk_err *e)
{
	const int lists[] = {FF_SUPPLIER_COUNTRIES, FF_EXCLUDE_COUNTRIES};

	for (size_t k = 0; t->ref && k < 2; k++) {
		const strlist *l = lists[k] == FF_SUPPLIER_COUNTRIES ? &f->supplier_countries
		                                                     : &f->exclude_countries;
		for (int i = 0; i < l->n; i++)
			if (!ref_country_by_code(t->ref, l->v[i])) {
				err_set(e, "%s: '%s' is not a country code souk knows",
				        filter_field_name((enum filter_field)lists[k]), l->v[i]);
				return -1;
			}
	}
	if (t->ref && f->market && !util_strieq(f->market, "EU") &&
	    !ref_country_by_code(t->ref, f->market)) {
		err_set(e, "market: '%s' is not a country code souk knows", f->market);
		return -1;
	}
	for (int i = 0; t->ref && i < f->certifications.n; i++)
		if (!ref_cert_canonical(t->ref, f->certifications.v[i])) {
			err_set(e, "certifications: souk knows no certification '%s'",
			        f->certifications.v[i]);
			return -1;
		}
	if ((present & (1u << FF_QUANTITY)) && f->quantity == 0) {
		err_set(e, "quantity: 0 units is no order (use clear to remove the quantity)");
		return -1;
	}
	if (f->price_min >= 0 && f->price_max >= 0 && f->price_min > f->price_max) {
		err_set(e, "price_min %g is above price_max %g", f->price_min, f->price_max);
		return -1;
	}
	return 0;
}

/* "set" without its nulls (null means unchanged), and which fields it has. */
static int set_part(const souk_ref *ref, const cJSON *set, souk_filter *f, unsigned *present,
                    souk_err *e)
{
	cJSON *copy = cJSON_CreateObject();
	const cJSON *v;
	int rc;

	cJSON_ArrayForEach(v, set)
	{
		int field = filter_field_lookup(v->string ? v->string : "");
		if (cJSON_IsNull(v))
			continue;
		if (field >= 0)
			*present |= 1u << field;
		cJSON_AddItemToObject(copy, v->string ? v->string : "", cJSON_Duplicate(v, 1));
	}
	rc = filter_from_cjson(copy, ref, f, e);
	cJSON_Delete(copy);
	return rc;
}

static int clear_part(const cJSON *clear, unsigned *cleared, souk_err *e)
{
	const cJSON *v;

	if (!clear || cJSON_IsNull(clear))
		return 0;
	if (!cJSON_IsArray(clear)) {
		err_set(e, "clear must be an array of filter names");
		return -1;
	}
	cJSON_ArrayForEach(v, clear)
	{
		int field = cJSON_IsString(v) ? filter_field_lookup(v->valuestring) : -1;
		if (field < 0) {
			char *s = cJSON_PrintUnformatted(v), *safe = text_sanitize(s, 0);
			err_set(e, "clear: %.60s is not a filter name", safe);
			free(safe);
			free(s);
			return -1;
		}
		*cleared |= 1u << field;
	}
	return 0;
}

/* The arguments' parts; a flat object of filter keys is read as "set",
 * since models without strict schemas often send that. */
static int split_args(const cJSON *o, const cJSON **set, const cJSON **clear, int *reset,
                      souk_err *e)
{
	const cJSON *v, *r;

	*set = cJSON_GetObjectItemCaseSensitive(o, "set");
	*clear = cJSON_GetObjectItemCaseSensitive(o, "clear");
	r = cJSON_GetObjectItemCaseSensitive(o, "reset");
	*reset = cJSON_IsTrue(r);
	if (!*set && !*clear && !r) {
		*set = o;
		return 0;
	}
	cJSON_ArrayForEach(v, o)
	{
		if (strcmp(v->string, "set") && strcmp(v->string, "clear") &&
		    strcmp(v->string, "reset")) {
			char *safe = text_sanitize(v->string, 0);
			err_set(e, "unknown argument '%.40s' (expected set, clear and reset)",
			        safe);
			free(safe);
			return -1;
		}
	}
	if (*set && !cJSON_IsNull(*set) && !cJSON_IsObject(*set)) {
		err_set(e, "set must be an object of filter values");
		return -1;
	}
	if (r && !cJSON_IsBool(r) && !cJSON_IsNull(r)) {
		err_set(e, "reset must be true or false");
		return -1;
	}
	return 0;
}

int tools_delta(llm_tools *t, const char *args, filter_delta *delta, souk_err *e)
{
	cJSON *o = cJSON_Parse(args ? args : "");
	const cJSON *set, *clear;
	unsigned present = 0, cleared = 0;
	souk_filter after;
	int reset, rc = -1;

	filter_delta_init(delta);
	if (!cJSON_IsObject(o)) {
		err_set(e, "the arguments are not a JSON object");
		goto out;
	}
	if (split_args(o, &set, &clear, &reset, e) < 0 || clear_part(clear, &cleared, e) < 0)
		goto out;
	filter_free(&delta->f);
	if (set && !cJSON_IsNull(set) && set_part(t->ref, set, &delta->f, &present, e) < 0) {
		filter_init(&delta->f);
		goto out;
	}
	if (present & cleared) {
		err_set(e, "a filter cannot be both set and cleared");
		goto out;
	}
	delta->set = present | cleared;
	delta->reset = reset;
	filter_copy(&after, dialog_filter(t->d));
	filter_apply(&after, delta);
	rc = sense_check(t, &after, present, e);
	filter_free(&after);
out:
	cJSON_Delete(o);
	if (rc < 0) {
		filter_delta_free(delta);
		filter_delta_init(delta);
	}
	return rc;
}

/* ---- results ---- */

static char *error_result(const char *why)
{
	cJSON *o = cJSON_CreateObject();
	char *s;

	cJSON_AddStringToObject(o, "error", why);
	cJSON_AddStringToObject(o, "hint",
	                        "nothing was changed; correct the arguments and call again");
	s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

static void add_counts(cJSON *o, const char *key, const match_count *c, int n, int max)
{
	cJSON *a = cJSON_AddObjectToObject(o, key);

	for (int i = 0; i < n && i < max; i++)
		cJSON_AddNumberToObject(a, c[i].value, (double)c[i].count);
}

/* Price bands: the non-empty bins of the histogram, as "lo-hi": count. */
static void add_bands(cJSON *o, const match_hist *h, const char *currency)
{
	cJSON *b = cJSON_AddObjectToObject(o, "price_bands");
	double w = (h->hi - h->lo) / MATCH_HIST_BINS;

	cJSON_AddStringToObject(o, "currency", currency);
	for (int i = 0; i < MATCH_HIST_BINS && h->hi > h->lo; i++) {
		char k[64];
		if (!h->counts[i])
			continue;
		snprintf(k, sizeof k, "%.2f-%.2f", h->lo + w * i, h->lo + w * (i + 1));
		cJSON_AddNumberToObject(b, k, (double)h->counts[i]);
	}
}

static cJSON *summary_of(match_ctx *m, const souk_filter *f, souk_err *e)
{
	match_opts o;
	match_result r;
	cJSON *j;

	match_opts_init(&o);
	o.limit = 1;
	o.facets = 1;
	if (match_run(m, f, &o, &r, e) < 0)
		return NULL;
	j = cJSON_CreateObject();
	cJSON_AddNumberToObject(j, "offers", (double)r.total);
	cJSON_AddNumberToObject(j, "suppliers", (double)r.suppliers);
	add_counts(j, "supplier_countries", r.countries, r.ncountries, 12);
	add_counts(j, "certifications", r.certs, r.ncerts, 12);
	add_counts(j, "business_types", r.business_types, r.nbusiness_types, 4);
	if (r.total)
		add_bands(j, &r.price_hist, r.currency);
	if (r.relax)
		cJSON_AddStringToObject(j, "if_nothing_matches", r.relax);
	match_result_free(&r);
	return j;
}

static char *finish_result(cJSON *j)
{
	char *s = cJSON_PrintUnformatted(j);

	cJSON_Delete(j);
	return s;
}

static void run_update(llm_tools *t, const char *args, tools_outcome *out)
{
	filter_delta delta;
	dialog_reply r;
	souk_err e;
	cJSON *j;

	if (tools_delta(t, args, &delta, &e) < 0) {
		out->refused = 1;
		out->result = error_result(e.msg);
		return;
	}
	dialog_edit(t->d, &delta, &r, &e);
	filter_delta_free(&delta);
	out->applied = r.changed != 0;
	out->said = r.text ? xstrdup(r.text) : NULL;
	j = t->m ? summary_of(t->m, dialog_filter(t->d), &e) : cJSON_CreateObject();
	if (!j)
		j = cJSON_CreateObject();
	cJSON_AddBoolToObject(j, "applied", 1);
	cJSON_AddItemToObject(j, "filters", filter_to_cjson(dialog_filter(t->d)));
	cJSON_AddStringToObject(j, "souk_says", r.text ? r.text : "");
	dialog_reply_free(&r);
	out->result = finish_result(j);
}

static void run_summary(llm_tools *t, const char *args, tools_outcome *out)
{
	filter_delta delta;
	souk_filter f;
	souk_err e;
	cJSON *j;

	if (tools_delta(t, args, &delta, &e) < 0) {
		out->refused = 1;
		out->result = error_result(e.msg);
		return;
	}
	filter_copy(&f, dialog_filter(t->d));
	filter_apply(&f, &delta);
	filter_delta_free(&delta);
	j = summary_of(t->m, &f, &e);
	if (j)
		cJSON_AddItemToObject(j, "filters", filter_to_cjson(&f));
	out->result = j ? finish_result(j) : error_result(e.msg);
	filter_free(&f);
}

static cJSON *row_json(const match_row *r, int rank, const char *currency)
{
	cJSON *o = cJSON_CreateObject();

	if (rank > 0)
		cJSON_AddNumberToObject(o, "rank", rank);
	else
		cJSON_AddBoolToObject(o, "marked", 1);
	cJSON_AddStringToObject(o, "supplier", r->supplier ? r->supplier : "");
	cJSON_AddStringToObject(o, "country", r->country ? r->country : "");
	cJSON_AddStringToObject(o, "title", r->title ? r->title : "");
	cJSON_AddNumberToObject(o, "unit_price", r->price);
	cJSON_AddStringToObject(o, "currency", currency);
	cJSON_AddNumberToObject(o, "moq", (double)r->moq);
	cJSON_AddNumberToObject(o, "lead_time_days", r->lead_days);
	if (r->landed >= 0)
		cJSON_AddNumberToObject(o, "landed_cost", r->landed);
	cJSON_AddNumberToObject(o, "rating", r->rating);
	cJSON_AddNumberToObject(o, "reviews", r->reviews);
	cJSON_AddBoolToObject(o, "verified", r->verified);
	cJSON_AddNumberToObject(o, "years_in_business", r->years);
	cJSON_AddStringToObject(o, "certifications", r->certs ? r->certs : "");
	cJSON_AddStringToObject(o, "business_type", r->business_type ? r->business_type : "");
	if (r->reasons)
		cJSON_AddStringToObject(o, "why", r->reasons);
	if (r->similar_to)
		cJSON_AddStringToObject(o, "similar_to", r->similar_to);
	return o;
}

/* The current results down to the largest rank asked for. */
static int current_rows(llm_tools *t, int upto, match_result *r, souk_err *e)
{
	match_opts o;

	match_opts_init(&o);
	o.limit = upto;
	return match_run(t->m, dialog_filter(t->d), &o, r, e);
}

static int rank_of(const cJSON *v)
{
	return cJSON_IsNumber(v) && v->valuedouble >= 1 && v->valuedouble <= TOOLS_MAX_RANK
	               ? (int)v->valuedouble
	               : 0;
}

/* The ranks asked for, checked: their largest, 0 for none, -1 when one is
 * not a rank. */
static int largest_rank(const cJSON *ranks)
{
	const cJSON *v;
	int max = 0;

	cJSON_ArrayForEach(v, ranks)
	{
		if (!rank_of(v))
			return -1;
		max = rank_of(v) > max ? rank_of(v) : max;
	}
	return max;
}

static void run_compare(llm_tools *t, const cJSON *a, tools_outcome *out)
{
	const cJSON *ranks = cJSON_GetObjectItemCaseSensitive(a, "ranks"), *v;
	int marked = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a, "marked"));
	int max = largest_rank(ranks);
	const char *cur = dialog_filter(t->d)->currency;
	match_result r;
	souk_err e;
	cJSON *j, *rows;

	if (max < 0 || (!max && !marked)) {
		out->result = error_result(max < 0 ? "ranks are whole numbers from 1 to 50"
		                                   : "give the ranks of the offers to compare, "
		                                     "or marked true");
		return;
	}
	if (marked && !t->nmarked) {
		out->result = error_result("the buyer has marked no offers; name ranks instead");
		return;
	}
	match_result_init(&r);
	if (max && current_rows(t, max, &r, &e) < 0) {
		out->result = error_result(e.msg);
		return;
	}
	j = cJSON_CreateObject();
	rows = cJSON_AddArrayToObject(j, "offers");
	cJSON_ArrayForEach(v, ranks)
	{
		int k = rank_of(v);
		if (k <= r.nrows)
			cJSON_AddItemToArray(rows, row_json(&r.rows[k - 1], k, r.currency));
	}
	for (int i = 0; marked && i < t->nmarked; i++)
		cJSON_AddItemToArray(rows, row_json(&t->marked[i], 0, cur));
	if (max)
		cJSON_AddNumberToObject(j, "offers_in_results", (double)r.total);
	match_result_free(&r);
	out->result = finish_result(j);
}

static void run_similar(llm_tools *t, const cJSON *a, tools_outcome *out)
{
	const cJSON *cnt = cJSON_GetObjectItemCaseSensitive(a, "count");
	int k = rank_of(cJSON_GetObjectItemCaseSensitive(a, "rank")), n = 5;
	match_result r, s;
	souk_err e;
	cJSON *j, *rows;

	if (cJSON_IsNumber(cnt) && cnt->valuedouble >= 1)
		n = cnt->valuedouble > TOOLS_MAX_SIMILAR ? TOOLS_MAX_SIMILAR
		                                         : (int)cnt->valuedouble;
	if (!k) {
		out->result = error_result("rank is a whole number from 1 to 50");
		return;
	}
	if (current_rows(t, k, &r, &e) < 0) {
		out->result = error_result(e.msg);
		return;
	}
	if (k > r.nrows) {
		match_result_free(&r);
		out->result = error_result("there is no offer at that rank in the current results");
		return;
	}
	if (match_similar(t->m, dialog_filter(t->d), &r.rows[k - 1].product_id, 1, n, &s, &e) < 0) {
		match_result_free(&r);
		out->result = error_result(e.msg);
		return;
	}
	j = cJSON_CreateObject();
	rows = cJSON_AddArrayToObject(j, "offers");
	for (int i = 0; i < s.nrows; i++)
		cJSON_AddItemToArray(rows, row_json(&s.rows[i], i + 1, s.currency));
	match_result_free(&s);
	match_result_free(&r);
	out->result = finish_result(j);
}

void tools_run(llm_tools *t, const char *name, const char *args, tools_outcome *out)
{
	cJSON *a;

	memset(out, 0, sizeof *out);
	if (name && !strcmp(name, "update_filters")) {
		run_update(t, args, out);
		return;
	}
	if (!t->m) {
		out->result = error_result("there is no catalog to search");
		return;
	}
	if (name && !strcmp(name, "search_summary")) {
		run_summary(t, args, out);
		return;
	}
	a = cJSON_Parse(args ? args : "");
	if (!cJSON_IsObject(a))
		out->result = error_result("the arguments are not a JSON object");
	else if (name && !strcmp(name, "compare_offers"))
		run_compare(t, a, out);
	else if (name && !strcmp(name, "similar_offers"))
		run_similar(t, a, out);
	else
		out->result = error_result("no such tool (the tools are update_filters, "
		                           "search_summary, compare_offers and similar_offers)");
	cJSON_Delete(a);
}

/* ---- grounding: the reply's figures against what souk sent ---- */

#define TOOLS_MAX_FIGURES 5

static int is_word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* ",234" of "1,234": a comma before exactly three digits. */
static int thousands(const char *p)
{
	return p[0] == ',' && isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2]) &&
	       isdigit((unsigned char)p[3]) && !isdigit((unsigned char)p[4]);
}

/* The next figure in *pp: digits, with ',' before each group of three and
 * one '.' before decimals; *start is where it begins. No sign: "2.47-3.10"
 * is a range of two. */
static int next_figure(const char **pp, double *v, int *decimals, const char **start)
{
	const char *p = *pp;
	strbuf b;

	while (*p && !(isdigit((unsigned char)*p) && (p == *pp || !is_word_char(p[-1]))))
		p++;
	if (!*p)
		return 0;
	*start = p;
	sb_init(&b);
	*decimals = 0;
	for (; isdigit((unsigned char)*p) || thousands(p); p++)
		if (*p != ',')
			sb_addc(&b, *p);
	if (*p == '.' && isdigit((unsigned char)p[1]))
		for (sb_addc(&b, *p++); isdigit((unsigned char)*p); p++)
			if ((*decimals)++ < 6)
				sb_addc(&b, *p);
	*v = strtod(b.s, NULL);
	sb_free(&b);
	*pp = p;
	return 1;
}

static int figure_in(double v, int decimals, const double *known, int n)
{
	double half = 0.5 * pow(10.0, -(double)(decimals < 6 ? decimals : 6));

	for (int i = 0; i < n; i++)
		if (fabs(known[i] - v) < half + 1e-9)
			return 1;
	return 0;
}

char *tools_ungrounded(const char *reply, const char *grounds)
{
	const char *p = grounds ? grounds : "", *at;
	double *known = NULL, v;
	int nknown = 0, d, n = 0;
	strbuf b;

	while (next_figure(&p, &v, &d, &at)) {
		known = xgrow(known, nknown, sizeof *known);
		known[nknown++] = v;
	}
	sb_init(&b);
	p = reply ? reply : "";
	while (next_figure(&p, &v, &d, &at) && n < TOOLS_MAX_FIGURES)
		if (!figure_in(v, d, known, nknown))
			sb_printf(&b, "%s%.*s", n++ ? ", " : "", (int)(p - at), at);
	free(known);
	if (n)
		return sb_steal(&b);
	sb_free(&b);
	return NULL;
}

/* ---- the catalog summary for the system prompt ---- */

/* "Label: value (count), ..." for the first max counts of a facet. */
static void add_facet(strbuf *b, const char *label, const match_count *c, int n, int max)
{
	sb_printf(b, "%s: ", label);
	for (int i = 0; i < n && i < max; i++) {
		char *safe = text_sanitize(c[i].value ? c[i].value : "", 0);
		sb_printf(b, "%s%s (%ld)", i ? ", " : "", *safe ? safe : "(none)", c[i].count);
		free(safe);
	}
	sb_add(b, n ? "\n" : "none\n");
}

/* "Label: value (count), ..." for the rows of a two-column query. */
static void add_query(strbuf *b, sqlite3 *db, const char *label, const char *sql)
{
	sqlite3_stmt *st;
	int n = 0;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return;
	sb_printf(b, "%s: ", label);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		char *safe = text_sanitize(v ? v : "", 0);
		sb_printf(b, "%s%s (%lld)", n++ ? ", " : "", *safe ? safe : "(none)",
		          (long long)sqlite3_column_int64(st, 1));
		free(safe);
	}
	sb_add(b, n ? "\n" : "none\n");
	sqlite3_finalize(st);
}

/* One unfiltered run with facets: the column index answers it without a
 * scan of the catalog, so the first model turn on a large catalog does not
 * wait for a GROUP BY over every certification (0.4 s at a million
 * offers). The categories come from their index. */
char *tools_catalog_summary(llm_tools *t, const char *currency)
{
	souk_filter f;
	match_opts o;
	match_result r;
	souk_err e;
	strbuf b;

	sb_init(&b);
	if (!t->m) {
		sb_add(&b, "There is no catalog: say so, and only help to describe the need.\n");
		return sb_steal(&b);
	}
	filter_init(&f);
	snprintf(f.currency, sizeof f.currency, "%s", currency && *currency ? currency : "USD");
	match_opts_init(&o);
	o.limit = 1;
	o.facets = 1;
	if (match_run(t->m, &f, &o, &r, &e) < 0) {
		filter_free(&f);
		sb_printf(&b, "The catalog could not be read (%s).\n", e.msg);
		return sb_steal(&b);
	}
	sb_printf(&b, "%ld offers from %ld suppliers\n", r.total, r.suppliers);
	sb_printf(&b, "Unit prices: %.2f to %.2f %s", r.price_hist.lo, r.price_hist.hi, r.currency);
	if (r.price_p10 >= 0 && r.price_p90 >= 0)
		sb_printf(&b, " (the middle 80%% from %.2f to %.2f)", r.price_p10, r.price_p90);
	sb_addc(&b, '\n');
	add_query(&b, match_db(t->m), "Categories (offers)",
	          "SELECT category, count(*) FROM products GROUP BY category ORDER BY 2 DESC "
	          "LIMIT 30");
	add_facet(&b, "Supplier countries (offers)", r.countries, r.ncountries, 40);
	add_facet(&b, "Certifications (offers)", r.certs, r.ncerts, 40);
	add_facet(&b, "Business types (offers)", r.business_types, r.nbusiness_types, 4);
	match_result_free(&r);
	filter_free(&f);
	return sb_steal(&b);
}
