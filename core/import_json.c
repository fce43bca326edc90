/* import_json: JSON offers ([offer, ...] or {suppliers, products}) into the importer. */
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

/* ---- JSON: [offer, ...] with a nested "supplier", or {suppliers, products} ---- */

typedef struct strpool {
	char **s;
	int n;
} strpool;

static const char *pool_add(strpool *p, char *s)
{
	p->s = xgrow(p->s, p->n, sizeof *p->s);
	p->s[p->n++] = s;
	return s;
}

static void pool_free(strpool *p)
{
	for (int i = 0; i < p->n; i++)
		free(p->s[i]);
	free(p->s);
	p->s = NULL;
	p->n = 0;
}

/* A number or string as text; anything else as "?", which the parser refuses. */
static void json_scalar(strbuf *b, const cJSON *v)
{
	if (cJSON_IsNumber(v))
		sb_printf(b, "%.15g", v->valuedouble);
	else if (cJSON_IsString(v))
		sb_add(b, v->valuestring);
	else
		sb_addc(b, '?');
}

/* A JSON value as the text a CSV cell would hold. */
static const char *json_text(const cJSON *v, int field, strpool *pool)
{
	strbuf b;

	if (cJSON_IsString(v))
		return v->valuestring;
	if (cJSON_IsNumber(v))
		return pool_add(pool, xasprintf("%.15g", v->valuedouble));
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v) ? "yes" : "no";
	if (cJSON_IsNull(v))
		return NULL;
	sb_init(&b);
	if (cJSON_IsArray(v) && field == F_TIERS) {
		/* [{"min_qty":100,"price":2.5}, ...] or [[100, 2.5], ...] */
		const cJSON *t;
		cJSON_ArrayForEach(t, v)
		{
			const cJSON *q = NULL, *p = NULL;
			if (cJSON_IsArray(t)) {
				q = cJSON_GetArrayItem(t, 0);
				p = cJSON_GetArrayItem(t, 1);
			} else if (cJSON_IsObject(t)) {
				q = cJSON_GetObjectItemCaseSensitive(t, "min_qty");
				if (!q)
					q = cJSON_GetObjectItemCaseSensitive(t, "qty");
				if (!q)
					q = cJSON_GetObjectItemCaseSensitive(t, "quantity");
				p = cJSON_GetObjectItemCaseSensitive(t, "price");
			}
			if (b.len)
				sb_addc(&b, ';');
			json_scalar(&b, q);
			sb_addc(&b, ':');
			json_scalar(&b, p);
		}
	} else if (cJSON_IsObject(v) && field == F_TIERS) {
		/* {"100": 2.5, "500": 2.1} */
		const cJSON *t;
		cJSON_ArrayForEach(t, v)
		{
			sb_printf(&b, "%s%s:", b.len ? ";" : "", t->string);
			json_scalar(&b, t);
		}
	} else if (cJSON_IsArray(v)) {
		const cJSON *t;
		cJSON_ArrayForEach(t, v)
		{
			if (cJSON_IsString(t))
				sb_printf(&b, "%s%s", b.len ? "|" : "", t->valuestring);
			else if (cJSON_IsNumber(t))
				sb_printf(&b, "%s%.15g", b.len ? "|" : "", t->valuedouble);
		}
	} else {
		char *j = cJSON_PrintUnformatted(v);
		sb_add(&b, j ? j : "");
		free(j);
	}
	return pool_add(pool, sb_steal(&b));
}

/* A member's text after the value check (which CSV applies to each
 * field); NULL for null, and for a bad one with *bad set and im->why. */
static const char *json_checked(importer *im, const cJSON *it, int f, strpool *pool, int *bad)
{
	const char *v;

	if (*bad || import_field_check(it->string, strlen(it->string), it->string, 0, im->why,
	                               sizeof im->why) < 0) {
		*bad = 1;
		return NULL;
	}
	v = json_text(it, f, pool);
	if (v && import_field_check(v, strlen(v), it->string, 0, im->why, sizeof im->why) < 0) {
		*bad = 1;
		return NULL;
	}
	return v;
}

/* Fills r from an offer object (and its nested supplier); *bad is set with
 * im->why when a value fails the check. */
static void json_fill(importer *im, rec *r, const cJSON *obj, int in_supplier, strpool *pool,
                      int *bad)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, obj)
	{
		long qty;
		const char *cur;
		int f;
		if (it->string == NULL)
			continue;
		if (!in_supplier && cJSON_IsObject(it) && strcasecmp(it->string, "supplier") == 0) {
			json_fill(im, r, it, 1, pool, bad);
			continue;
		}
		f = import_header_field(im->ref, it->string, strlen(it->string), in_supplier, &qty,
		                        &cur);
		if (f == F_ATTRS && cJSON_IsObject(it)) {
			r->f[F_ATTRS] = json_checked(im, it, f, pool, bad);
		} else if (f >= 0) {
			r->f[f] = json_checked(im, it, f, pool, bad);
			if (f == F_PRICE && cur)
				r->price_cur = cur;
		} else if (f == F_PRICE_AT) {
			if (r->nat == MAX_AT) {
				r->dropped++;
				continue;
			}
			r->at_qty[r->nat] = qty;
			r->at_val[r->nat++] = json_checked(im, it, f, pool, bad);
		} else if (f == F_ATTR && !cJSON_IsObject(it) && !cJSON_IsArray(it)) {
			if (r->nattr == MAX_ATTRS) {
				r->dropped++;
				continue;
			}
			r->attr_key[r->nattr] = it->string;
			r->attr_val[r->nattr++] = json_checked(im, it, f, pool, bad);
		}
	}
}

static const cJSON *json_supplier_by_id(const cJSON *suppliers, const char *id)
{
	const cJSON *s;

	cJSON_ArrayForEach(s, suppliers)
	{
		const cJSON *sid = cJSON_GetObjectItemCaseSensitive(s, "id");
		char buf[32];
		const char *v = NULL;
		if (cJSON_IsString(sid))
			v = sid->valuestring;
		else if (cJSON_IsNumber(sid)) {
			snprintf(buf, sizeof buf, "%.15g", sid->valuedouble);
			v = buf;
		}
		if (v && strcmp(v, id) == 0)
			return s;
	}
	return NULL;
}

int import_json(importer *im, const char *data, size_t len, souk_err *e)
{
	const char *name = im->o->name;
	const cJSON *root = im->root, *offers, *suppliers = NULL, *o;
	strpool pool = {0};
	long i = 0, dropped = 0;
	int rc = -1;

	(void)data;
	(void)len;
	im->json = 1;
	if (cJSON_IsArray(root))
		offers = root;
	else {
		offers = cJSON_GetObjectItemCaseSensitive(root, "products");
		if (!offers)
			offers = cJSON_GetObjectItemCaseSensitive(root, "offers");
		suppliers = cJSON_GetObjectItemCaseSensitive(root, "suppliers");
	}
	if (!cJSON_IsArray(offers) || (suppliers && !cJSON_IsArray(suppliers))) {
		err_set(e,
		        "%s: expected an array of offers or {\"suppliers\": [...], \"products\": "
		        "[...]}",
		        name);
		goto out;
	}
	cJSON_ArrayForEach(o, offers)
	{
		rec r = {0};
		int wrc, bad = 0;
		i++;
		im->st->rows++;
		if ((i & 1023) == 0 && import_cancelled(im)) {
			err_set(e, "interrupted");
			goto out;
		}
		if (!cJSON_IsObject(o)) {
			import_fail_row(im, "not a JSON object");
			wrc = -1;
		} else {
			json_fill(im, &r, o, 0, &pool, &bad);
			if (!bad && r.f[S_ID] && suppliers) {
				const cJSON *s = json_supplier_by_id(suppliers, r.f[S_ID]);
				if (s)
					json_fill(im, &r, s, 1, &pool, &bad);
			}
			if (dropped == 0 && r.dropped && (im->dry || i > im->quiet_rows))
				import_dropped_warn(im, i, r.dropped);
			dropped += r.dropped;
			if (bad)
				wrc = -1;
			else if (r.f[S_ID] && import_empty(r.f[S_NAME]))
				wrc = import_fail_row(
				        im, "supplier id '%.40s' is not among the suppliers",
				        r.f[S_ID]);
			else {
				im->line = i;
				wrc = import_offer_write(im, &r);
			}
		}
		pool_free(&pool);
		if (import_row_done(im, wrc, i, e) < 0)
			goto out;
	}
	if (import_rows_flush(im) < 0) {
		import_write_failed(im, i, e);
		goto out;
	}
	if (im->st->rows == 0) {
		err_set(e, "%s: no offers in the file", name);
		goto out;
	}
	rc = 0;
out:
	pool_free(&pool);
	return rc;
}
