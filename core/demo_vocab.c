/* demo_vocab: the demo catalog's vocabularies read from the templates in assets/demo. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo_int.h"
#include "tsv.h"

static void vocab_add(vocab *v, char *s)
{
	v->v = xgrow(v->v, v->n, sizeof *v->v);
	v->v[v->n++] = s;
}

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

/* Splits s in place at sep, trimming each piece and skipping empty ones. */
static void split_into(char *s, char sep, vocab *out)
{
	while (s != NULL) {
		char *next = strchr(s, sep);

		if (next)
			*next++ = '\0';
		s = trim(s);
		if (*s)
			vocab_add(out, s);
		s = next;
	}
}

void demo_vocab_free_lists(demo_vocab *d)
{
	for (int i = 0; i < d->ncats; i++) {
		cat *c = &d->cats[i];
		for (int j = 0; j < c->nattrs; j++)
			free(c->attrs[j].values.v);
		free(c->attrs);
		free(c->certs);
		free(c->custom.v);
		free(c->titles.v);
	}
	free(d->cats);
	for (int i = 0; i < d->ncountries; i++) {
		free(d->countries[i].cities.v);
		free(d->countries[i].ports.v);
	}
	free(d->countries);
	for (int i = 0; i < d->ngroups; i++) {
		free(d->groups[i].words.v);
		free(d->groups[i].cats);
	}
	free(d->groups);
	free(d->brand.v);
	free(d->scerts);
	free(d->markets);
	free(d->tax_path.v);
	free(d->tax_name.v);
	ref_free(d->ref);
	for (int i = 0; i < 3; i++)
		free(d->files[i]);
	memset(d, 0, sizeof *d);
}

static int parse_cert_rules(cat *c, char *value)
{
	vocab items = {0};

	split_into(value, ',', &items);
	for (int i = 0; i < items.n; i++) {
		char *at = strchr(items.v[i], '@'), *colon;
		cert_rule r = {items.v[i], "*", 0.75};

		if (at == NULL) {
			free(items.v);
			return -1;
		}
		*at++ = '\0';
		colon = strchr(at, ':');
		if (colon) {
			*colon++ = '\0';
			r.p = atof(colon);
		}
		r.name = trim(items.v[i]);
		r.market = trim(at);
		c->certs = xrealloc(c->certs, (size_t)(c->ncerts + 1) * sizeof *c->certs);
		c->certs[c->ncerts++] = r;
	}
	free(items.v);
	return 0;
}

static int parse_cat_key(cat *c, char *key, char *value)
{
	if (strcmp(key, "group") == 0)
		c->group = value;
	else if (strcmp(key, "price") == 0)
		return sscanf(value, "%lf %lf", &c->price_lo, &c->price_hi) == 2 ? 0 : -1;
	else if (strcmp(key, "moq") == 0)
		return sscanf(value, "%d %d", &c->moq_lo, &c->moq_hi) == 2 ? 0 : -1;
	else if (strcmp(key, "lead") == 0)
		return sscanf(value, "%d %d", &c->lead_lo, &c->lead_hi) == 2 ? 0 : -1;
	else if (strcmp(key, "weight") == 0)
		c->weight = atof(value);
	else if (strcmp(key, "volume") == 0)
		c->volume = atof(value);
	else if (strcmp(key, "certs") == 0)
		return parse_cert_rules(c, value);
	else if (strcmp(key, "custom") == 0)
		split_into(value, ',', &c->custom);
	else if (strcmp(key, "title") == 0)
		vocab_add(&c->titles, value);
	else if (strcmp(key, "desc") == 0)
		c->desc = value;
	else if (strncmp(key, "attr ", 5) == 0) {
		attr a = {trim(key + 5), {0}};
		split_into(value, ',', &a.values);
		if (a.values.n == 0)
			return -1;
		c->attrs = xrealloc(c->attrs, (size_t)(c->nattrs + 1) * sizeof *c->attrs);
		c->attrs[c->nattrs++] = a;
	} else
		return -1;
	return 0;
}

static int cat_complete(const cat *c)
{
	return c->group && c->price_lo > 0 && c->price_hi >= c->price_lo && c->moq_lo > 0 &&
	       c->moq_hi >= c->moq_lo && c->lead_lo > 0 && c->lead_hi >= c->lead_lo &&
	       c->titles.n > 0;
}

static int parse_categories(demo_vocab *d, char *buf, const char *file, souk_err *e)
{
	int line = 0;
	char *s = buf;

	while (s && *s) {
		char *next = strchr(s, '\n'), *eq;

		if (next)
			*next++ = '\0';
		line++;
		s = trim(s);
		if (*s == '\0' || *s == '#') {
			s = next;
			continue;
		}
		if (*s == '[') {
			char *close = strchr(s, ']');
			if (close == NULL)
				goto bad;
			*close = '\0';
			if (d->ncats > 0 && !cat_complete(&d->cats[d->ncats - 1]))
				goto incomplete;
			d->cats = xrealloc(d->cats, (size_t)(d->ncats + 1) * sizeof *d->cats);
			memset(&d->cats[d->ncats], 0, sizeof *d->cats);
			d->cats[d->ncats].path = trim(s + 1);
			d->cats[d->ncats].desc = "";
			d->ncats++;
		} else {
			eq = strchr(s, '=');
			if (eq == NULL || d->ncats == 0)
				goto bad;
			*eq = '\0';
			if (parse_cat_key(&d->cats[d->ncats - 1], trim(s), trim(eq + 1)) < 0)
				goto bad;
		}
		s = next;
	}
	if (d->ncats == 0 || !cat_complete(&d->cats[d->ncats - 1]))
		goto incomplete;
	return 0;
bad:
	err_set(e, "%s:%d: cannot read this line (see the key list at the top of the file)", file,
	        line);
	return -1;
incomplete:
	err_set(e, "%s:%d: a category lacks group, price, moq, lead or a title", file, line);
	return -1;
}

/* One record of suppliers.txt (its kind in the first field), or -1. */
static int supplier_record(demo_vocab *d, char **f, int n)
{
	if (strcmp(f[0], "country") == 0 && n == 7) {
		country c = {f[1], f[3], f[4], atof(f[2]), {0}, {0}};
		split_into(f[5], ',', &c.cities);
		split_into(f[6], ',', &c.ports);
		if (c.share <= 0 || c.cities.n == 0 || c.ports.n == 0) {
			free(c.cities.v);
			free(c.ports.v);
			return -1;
		}
		d->countries = xgrow(d->countries, d->ncountries, sizeof *d->countries);
		d->countries[d->ncountries++] = c;
		d->country_total += c.share;
	} else if (strcmp(f[0], "word") == 0 && n == 3) {
		group_words g = {f[1], {0}, NULL, 0};
		split_into(f[2], ',', &g.words);
		d->groups = xgrow(d->groups, d->ngroups, sizeof *d->groups);
		d->groups[d->ngroups++] = g;
	} else if (strcmp(f[0], "brand") == 0 && n == 2) {
		split_into(f[1], ',', &d->brand);
	} else if ((strcmp(f[0], "cert") == 0 || strcmp(f[0], "market") == 0) && n == 3) {
		int is_cert = f[0][0] == 'c';
		share_item **list = is_cert ? &d->scerts : &d->markets;
		int *count = is_cert ? &d->nscerts : &d->nmarkets;
		*list = xgrow(*list, *count, sizeof **list);
		(*list)[(*count)++] = (share_item){f[1], atof(f[2]) / 100.0};
	} else {
		return -1;
	}
	return 0;
}

/* suppliers.txt through the one asset reader (core/tsv); its text is
 * kept in d->files[1], which the records point into. */
static int parse_suppliers(demo_vocab *d, const char *file, souk_err *e)
{
	tsv t;

	if (tsv_open(&t, file, e) < 0)
		return -1;
	while (tsv_next(&t)) {
		if (supplier_record(d, t.f, t.nf) < 0) {
			tsv_fail(&t, e,
			         "cannot read this line (see the format at the top of the file)");
			d->files[1] = tsv_keep(&t);
			return -1;
		}
	}
	d->files[1] = tsv_keep(&t);
	if (d->ncountries == 0 || d->ngroups == 0 || d->brand.n < 2) {
		err_set(e, "%s: needs countries, words and brand syllables", file);
		return -1;
	}
	return 0;
}

static int parse_taxonomy(demo_vocab *d)
{
	for (int i = 0; i < ref_taxonomy_count(d->ref); i++) {
		const ref_category *c = ref_taxonomy_at(d->ref, i);
		vocab_add(&d->tax_path, (char *)c->path);
		vocab_add(&d->tax_name, (char *)c->name);
	}
	return d->tax_path.n > 0 ? 0 : -1;
}

/* Ties categories to their taxonomy names and supplier groups. */
static int vocab_link(demo_vocab *d, souk_err *e)
{
	for (int i = 0; i < d->ncats; i++) {
		cat *c = &d->cats[i];
		group_words *g = NULL;

		c->name = c->path;
		for (int j = 0; j < d->tax_path.n; j++)
			if (strcmp(d->tax_path.v[j], c->path) == 0)
				c->name = d->tax_name.v[j];
		for (int j = 0; j < d->ngroups; j++)
			if (strcmp(d->groups[j].group, c->group) == 0)
				g = &d->groups[j];
		if (g == NULL) {
			err_set(e, "demo category %s: group '%s' has no words in suppliers.txt",
			        c->path, c->group);
			return -1;
		}
		g->cats = xrealloc(g->cats, (size_t)(g->ncats + 1) * sizeof *g->cats);
		g->cats[g->ncats++] = i;
	}
	return 0;
}

int demo_vocab_load(demo_vocab *d, const char *assets, souk_err *e)
{
	static const char *names[2] = {"demo/categories.txt", "demo/suppliers.txt"};
	char *paths[2];
	int rc = -1;

	memset(d, 0, sizeof *d);
	for (int i = 0; i < 2; i++)
		paths[i] = xasprintf("%s/%s", assets, names[i]);
	if ((d->files[0] = util_read_file(paths[0], 4 << 20, NULL, e)) == NULL)
		goto out;
	d->ref = ref_load(assets, e);
	if (d->ref == NULL)
		goto out;
	if (parse_categories(d, d->files[0], paths[0], e) < 0 ||
	    parse_suppliers(d, paths[1], e) < 0)
		goto out;
	if (parse_taxonomy(d) < 0) {
		err_set(e, "%s/taxonomy.tsv: no categories (check the souk installation)", assets);
		goto out;
	}
	rc = vocab_link(d, e);
out:
	for (int i = 0; i < 2; i++)
		free(paths[i]);
	if (rc < 0)
		demo_vocab_free_lists(d);
	return rc;
}
