/* dialog: the conversation: its state and assets, applying turns and edits, undo. */
#include "dialog.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dialog_answer.h"
#include "dialog_int.h"
#include "intent.h"
#include "tsv.h"
#include "text.h"

/* ---- assets ---- */

static void split_into(strlist *l, const char *s, char sep, const intent_vocab *v, int singular)
{
	char *c = xstrdup(s), *save = NULL;
	char seps[2] = {sep, 0};
	for (char *t = strtok_r(c, seps, &save); t; t = strtok_r(NULL, seps, &save)) {
		while (*t == ' ')
			t++;
		if (!*t)
			continue;
		if (!singular) {
			strlist_add(l, t);
			continue;
		}
		/* a term: each word singular, so "pickleball paddles" meets "paddle" */
		strbuf b;
		sb_init(&b);
		char *ws = NULL;
		for (char *w = strtok_r(t, " ", &ws); w; w = strtok_r(NULL, " ", &ws)) {
			char one[64];
			intent_singular(v, w, one, sizeof(one));
			if (b.len)
				sb_addc(&b, ' ');
			sb_add(&b, one);
		}
		strlist_add(l, b.s ? b.s : "");
		sb_free(&b);
	}
	free(c);
}

/* The categories' terms as the dialog compares them with keywords: each
 * word singular, from the taxonomy's names and synonyms (core/ref). */
static void load_taxonomy(dialog *d)
{
	for (int i = 0; i < ref_taxonomy_count(d->ref); i++) {
		const ref_category *rc = ref_taxonomy_at(d->ref, i);
		char lname[256];
		d->cats = xgrow(d->cats, d->ncats, sizeof(*d->cats));
		category *c = &d->cats[d->ncats++];
		memset(c, 0, sizeof(*c));
		c->path = rc->path;
		c->name = rc->name;
		snprintf(lname, sizeof(lname), "%s", rc->name);
		text_lower(lname);
		for (char *q = lname; *q; q++)
			if (*q == '-')
				*q = ' ';
		split_into(&c->terms, lname, ',', d->v, 1);
		for (int k = 0; k < rc->nterms; k++)
			split_into(&c->terms, rc->terms[k], ',', d->v, 1);
	}
}

dialog *dialog_new(match_ctx *m, const souk_ref *ref, souk_err *e)
{
	dialog *d = xcalloc(1, sizeof(*d));
	d->m = m;
	d->ref = ref;
	filter_init(&d->f);
	filter_history_init(&d->h);
	d->last_country_field = FF_COUNT;
	d->last_number_field = FF_COUNT;
	d->budget_hint = -1;
	if ((d->v = intent_vocab_load(ref, e)) == NULL) {
		dialog_free(d);
		return NULL;
	}
	load_taxonomy(d);
	if (m) {
		souk_err ve;
		d->cv = vocab_open(match_db(m), &ve); /* without it every word is a keyword */
	}
	return d;
}

void dialog_free(dialog *d)
{
	if (!d)
		return;
	intent_vocab_free(d->v);
	vocab_free(d->cv);
	filter_free(&d->f);
	filter_history_free(&d->h);
	strlist_clear(&d->offer);
	strlist_clear(&d->offered);
	for (int i = 0; i < d->ncats; i++)
		strlist_clear(&d->cats[i].terms);
	free(d->cats);
	free(d);
}

void dialog_reply_free(dialog_reply *r)
{
	if (!r)
		return;
	free(r->text);
	free(r->question);
	memset(r, 0, sizeof(*r));
}

const souk_filter *dialog_filter(const dialog *d)
{
	return &d->f;
}

void dialog_set_filter(dialog *d, const souk_filter *f)
{
	filter_free(&d->f);
	filter_copy(&d->f, f);
	filter_history_free(&d->h);
	filter_history_init(&d->h);
	d->pending = Q_NONE;
	strlist_clear(&d->offer);
}

void dialog_adopt_filter(dialog *d, const souk_filter *f)
{
	if (filter_equal(&d->f, f))
		return;
	filter_history_push(&d->h, &d->f);
	filter_free(&d->f);
	filter_copy(&d->f, f);
	d->pending = Q_NONE;
	strlist_clear(&d->offer);
}

/* ---- categories from keywords ---- */

/* The category whose longest term is all among the keywords; its score
 * is the number of words matched (0: none). */
const category *dialog_category_of(const dialog *d, const strlist *kw, int *score)
{
	const category *best = NULL;
	int bs = 0;
	for (int i = 0; i < d->ncats; i++) {
		const category *c = &d->cats[i];
		for (int t = 0; t < c->terms.n; t++) {
			char *term = xstrdup(c->terms.v[t]), *save = NULL;
			int words = 0, all = 1;
			for (char *w = strtok_r(term, " ", &save); w;
			     w = strtok_r(NULL, " ", &save)) {
				words++;
				if (!strlist_has(kw, w))
					all = 0;
			}
			free(term);
			if (all && words > bs) {
				bs = words;
				best = c;
			}
		}
	}
	*score = bs;
	return best;
}

/* Whether a path segment of n bytes is the keyword, in the keyword's
 * singular form ("toys" is "toy"). */
static int segment_is(const dialog *d, const char *seg, size_t n, const char *kw)
{
	char w[64], one[64];
	if (n >= sizeof(w))
		return 0;
	memcpy(w, seg, n);
	w[n] = 0;
	if (!strcasecmp(w, kw))
		return 1;
	intent_singular(d->v, w, one, sizeof(one));
	return !strcmp(one, kw);
}

/* A path segment named by a keyword ("pickleball" -> "sports/pickleball",
 * "toy" -> "toys"). */
char *dialog_category_prefix(const dialog *d, const strlist *kw)
{
	for (int k = 0; k < kw->n; k++) {
		for (int i = 0; i < d->ncats; i++) {
			const char *p = d->cats[i].path;
			const char *slash = strchr(p, '/');
			const char *seg = slash ? slash + 1 : p;
			const char *end = strchr(seg, '/');
			size_t n = end ? (size_t)(end - seg) : strlen(seg);
			if (segment_is(d, seg, n, kw->v[k]))
				return xstrndup(p, (size_t)(seg - p) + n);
			if (slash && segment_is(d, p, (size_t)(slash - p), kw->v[k]))
				return xstrndup(p, (size_t)(slash - p));
		}
	}
	return NULL;
}

/* The category the state is about, as a path (leaf or prefix), or NULL. */
char *dialog_state_category(const dialog *d, const char **name)
{
	int score;
	const category *c = dialog_category_of(d, &d->f.keywords, &score);
	if (name)
		*name = c ? c->name : NULL;
	if (c)
		return xstrdup(c->path);
	return dialog_category_prefix(d, &d->f.keywords);
}

/* ---- results ---- */

/* One count of the current state: limit 1, with facets. Keywords the
 * catalog never uses do not constrain it: match_run leaves them out (the
 * reply names them, see dialog_unused_words). */
int dialog_run_match(dialog *d, const souk_filter *f, match_result *res)
{
	if (!d->m)
		return -1;
	match_opts o;
	match_opts_init(&o);
	o.limit = 1;
	o.facets = 1;
	souk_err e;
	if (match_run(d->m, f, &o, res, &e) < 0)
		return -1;
	return 0;
}

/* ---- turns ---- */

static enum intent_expect expect_of(enum question q)
{
	switch (q) {
	case Q_MARKET:
		return INTENT_EXPECT_MARKET;
	case Q_QUANTITY:
		return INTENT_EXPECT_QUANTITY;
	case Q_BUDGET:
		return INTENT_EXPECT_BUDGET;
	default:
		return INTENT_EXPECT_NONE;
	}
}

/* Whether the state names a whole branch ("pickleball", "yoga") and category
 * c lies inside it, so that "paddles" after "explore pickleball" narrows to
 * pickleball paddles while "yoga blocks" after "yoga mats" moves on. */
static int within_state(const dialog *d, const category *c)
{
	if (d->f.keywords.n != 1)
		return 0;
	char *path = dialog_category_prefix(d, &d->f.keywords);
	size_t n = path ? strlen(path) : 0;
	int in = path && !strncmp(c->path, path, n) && (c->path[n] == '/' || !c->path[n]);
	free(path);
	return in;
}

/* New product words replace the old ones when they name another category;
 * otherwise they refine ("in bamboo", "TPE", "paddles" within pickleball). */
static void keywords_merge(dialog *d, filter_delta *delta, int explore)
{
	strlist *add = &delta->add[FF_KEYWORDS];
	if (!add->n || !d->f.keywords.n || delta->reset)
		return;
	int sn, so;
	const category *cn = dialog_category_of(d, add, &sn);
	const category *co = dialog_category_of(d, &d->f.keywords, &so);
	if (explore || (cn && cn != co && !within_state(d, cn))) {
		strlist_copy(&delta->f.keywords, add);
		strlist_clear(add);
		delta->set |= 1u << FF_KEYWORDS;
	}
}

/* A step down in price: under the current cheapest share of the results. */
static void cheaper(dialog *d, filter_delta *delta, strbuf *b)
{
	double now = d->f.price_max, target = -1;
	match_result r;
	if (dialog_run_match(d, &d->f, &r) == 0) {
		double q = dialog_hist_quantile(&r.price_hist, 0.4);
		if (q > 0 && strcmp(r.currency, d->f.currency) == 0)
			target = q;
		match_result_free(&r);
	}
	if (now > 0 && (target < 0 || target >= now))
		target = now * 0.8;
	if (target <= 0) {
		sb_add(b, "Cheaper than what? Tell me a price per unit, e.g. \"under $5\". ");
		return;
	}
	target = target >= 10 ? round(target) : round(target * 100) / 100;
	delta->f.price_max = target;
	delta->set |= 1u << FF_PRICE_MAX;
	if (d->f.price_min >= target) {
		delta->f.price_min = -1;
		delta->set |= 1u << FF_PRICE_MIN;
	}
}

/* Keeps min <= max after a merge: the bound said last wins. */
static unsigned fix_price_order(dialog *d, const filter_delta *delta)
{
	souk_filter *f = &d->f;
	if (f->price_min < 0 || f->price_max < 0 || f->price_min <= f->price_max)
		return 0;
	if (delta->set & (1u << FF_PRICE_MAX)) {
		f->price_min = -1;
		return 1u << FF_PRICE_MIN;
	}
	f->price_max = -1;
	return 1u << FF_PRICE_MAX;
}

/* ": 352 products from 105 suppliers." and, with a quantity, how many
 * offers need a larger order and the words that bring them back (typed
 * back, they do). */
static void say_counts(strbuf *text, const souk_filter *f, const match_result *res)
{
	sb_add(text, ": ");
	filter_add_count(text, (double)res->total);
	sb_add(text, res->total == 1 ? " product from " : " products from ");
	filter_add_count(text, (double)res->suppliers);
	sb_add(text, res->suppliers == 1 ? " supplier." : " suppliers.");
	if (res->set_aside_moq > 0 && !f->include_larger_moq) {
		sb_add(text, " ");
		filter_add_count(text, (double)res->set_aside_moq);
		sb_add(text, res->set_aside_moq == 1 ? " more needs" : " more need");
		sb_add(text, " a larger order (say \"include larger MOQs\" to see them).");
	}
}

static void finish(dialog *d, strbuf *text, dialog_reply *out, int explore)
{
	match_result res;
	int have = dialog_run_match(d, &d->f, &res) == 0;
	if (explore) {
		dialog_overview(d, text);
		sb_add(text, "\n");
	}
	dialog_unused_words(d, text);
	sb_add(text, "Now: ");
	dialog_describe_state(d, text);
	if (have) {
		say_counts(text, &d->f, &res);
		if (res.total == 0 && res.relax) {
			char *s = text_sanitize(res.relax, 0);
			sb_printf(text, " Nothing matches; to widen it: %s.", s);
			free(s);
		} else if (res.total == 0) {
			sb_add(text, " Nothing matches; try fewer product words or fewer filters.");
		}
	} else {
		sb_add(text, ".");
	}
	out->question = dialog_next_question(d, &res, have);
	if (have)
		match_result_free(&res);
	out->text = sb_steal(text);
}

/* How many categories lie under a branch path. */
static int branch_size(const dialog *d, const char *prefix)
{
	size_t pl = strlen(prefix);
	int n = 0;

	for (int i = 0; i < d->ncats; i++)
		n += !strncmp(d->cats[i].path, prefix, pl) && d->cats[i].path[pl] == '/';
	return n;
}

/* A question about the results is answered from them and changes nothing. */
static int answer_best(dialog *d, int best, strbuf *text, dialog_reply *out, souk_err *e)
{
	if (!d->m)
		sb_add(text, "No catalog is open, so there are no offers to compare.");
	else if (dialog_answer_best(d->m, &d->f, best, text, e) < 0) {
		sb_free(text);
		return -1;
	}
	out->text = sb_steal(text);
	return 0;
}

/* What the interpreter may know of the conversation for the next turn. */
static void turn_context(const dialog *d, intent_ctx *ctx)
{
	intent_ctx_init(ctx);
	ctx->expect = expect_of(d->pending);
	/* the market was asked for earlier and is still open: a bare country fills it */
	if (d->pending == Q_NONE && (d->asked & (1u << Q_MARKET)) && !d->f.market)
		ctx->expect = INTENT_EXPECT_MARKET;
	ctx->last_country_field = d->last_country_field;
	ctx->have_suppliers = d->f.supplier_countries.n > 0;
	ctx->last_number_field = d->last_number_field;
	ctx->last_number_fields = d->last_number_fields;
	ctx->state = &d->f;
	ctx->catalog = d->cv;
	if (d->pending == Q_BUDGET)
		ctx->budget_hint = d->budget_hint;
}

/* The number fields a turn set, for "actually 1500" and "make it 600" next. */
static void remember_numbers(dialog *d, const intent_result *ir)
{
	static const int numeric[] = {FF_QUANTITY,  FF_PRICE_MAX,  FF_PRICE_MIN, FF_MOQ_MAX,
	                              FF_LEAD_TIME, FF_MIN_RATING, FF_MIN_YEARS};
	unsigned nums = 0;
	for (size_t k = 0; k < sizeof(numeric) / sizeof(*numeric); k++)
		if (ir->delta.set & (1u << numeric[k]) && !(ir->intents & INTENT_CHEAPER)) {
			if (!nums)
				d->last_number_field = numeric[k];
			nums |= 1u << numeric[k];
		}
	if (nums)
		d->last_number_fields = nums;
}

/* Long: one turn in order: commands, the interpreter, answers to the last question, the merge, the
 * reply. */
int dialog_turn(dialog *d, const char *line, dialog_reply *out, souk_err *e)
{
	memset(out, 0, sizeof(*out));
	if (!line)
		line = "";
	while (isspace((unsigned char)*line))
		line++;
	if (*line == '/') {
		if (!strncmp(line, "/undo", 5) && (!line[5] || isspace((unsigned char)line[5])))
			return dialog_undo(d, out), 0;
		if (!strncmp(line, "/reset", 6) && (!line[6] || isspace((unsigned char)line[6])))
			line = "start over";
		else {
			out->is_command = 1;
			return 0;
		}
	}
	strbuf text;
	sb_init(&text);
	if (!*line) {
		sb_add(&text, "Tell me what you are looking for: a product, and if you like a "
		              "quantity, a budget, a market or supplier countries.");
		out->text = sb_steal(&text);
		return 0;
	}

	intent_ctx ctx;
	turn_context(d, &ctx);
	intent_result ir;
	intent_result_init(&ir);
	intent_parse(d->v, line, &ctx, &ir);

	if ((ir.intents & INTENT_UNDO) && filter_delta_is_empty(&ir.delta)) {
		intent_result_free(&ir);
		dialog_undo(d, out);
		return 0;
	}
	if (ir.intents & INTENT_HELP && filter_delta_is_empty(&ir.delta)) {
		intent_result_free(&ir);
		out->text = xstrdup(
		        "Say what you need in plain words, e.g. \"pickleball paddles for the US "
		        "under "
		        "$8, MOQ below 500\". Then refine: \"make it 3000 units\", \"also "
		        "Vietnam\", "
		        "\"drop CE\", \"forget the price limit\", \"cheaper\", \"more like #3\", "
		        "\"start over\". /undo takes back the last change.");
		return 0;
	}
	if ((ir.intents & INTENT_ASK_BEST) && filter_delta_is_empty(&ir.delta)) {
		int best = ir.best;
		intent_result_free(&ir);
		return answer_best(d, best, &text, out, e);
	}
	if ((ir.intents & (INTENT_YES | INTENT_NO)) && d->pending == Q_CERTS && d->offer.n) {
		if (ir.intents & INTENT_YES)
			for (int i = 0; i < d->offer.n; i++)
				strlist_add(&ir.delta.add[FF_CERTIFICATIONS], d->offer.v[i]);
		else
			sb_add(&text, "Fine, no certification filter for now. ");
	} else if ((ir.intents & (INTENT_YES | INTENT_NO)) && filter_delta_is_empty(&ir.delta)) {
		sb_add(&text, "Noted. ");
	}
	keywords_merge(d, &ir.delta, (ir.intents & INTENT_EXPLORE) != 0);
	if (ir.intents & INTENT_CHEAPER)
		cheaper(d, &ir.delta, &text);
	if (ir.intents & INTENT_SIMILAR) {
		out->similar_to_row = ir.similar_row;
		sb_printf(&text, "Looking for offers like row %d. ", ir.similar_row);
	}

	souk_filter before;
	filter_copy(&before, &d->f);
	int was_empty = filter_is_empty(&d->f);
	unsigned changed = filter_apply(&d->f, &ir.delta);
	changed |= fix_price_order(d, &ir.delta);
	if (changed)
		filter_history_push(&d->h, &before);
	filter_free(&before);
	out->changed = changed;
	remember_numbers(d, &ir);
	if (ir.country_field != FF_COUNT)
		d->last_country_field = ir.country_field;
	if (ir.intents & INTENT_RESET) {
		d->asked = 0;
		strlist_clear(&d->offered);
		d->last_country_field = ir.country_field;
		sb_add(&text, "Starting over. ");
	}
	if (!ir.understood && !ir.notes.len) {
		sb_add(&text, "I did not find a product or a filter in that. ");
	} else if (changed && !was_empty && !(ir.intents & INTENT_RESET)) {
		dialog_describe_changes(d, changed, &text);
	} else if (!changed && !(ir.intents & (INTENT_SIMILAR | INTENT_YES | INTENT_NO)) &&
	           ir.understood && !(ir.intents & INTENT_EXPLORE)) {
		sb_add(&text, "Nothing changed. ");
	}
	if (ir.notes.len) {
		sb_add(&text, ir.notes.s);
		sb_add(&text, " ");
	}
	int explore = (ir.intents & INTENT_EXPLORE) != 0;
	/* a bare category as the first words also gets the overview */
	if (!explore && was_empty && ir.understood && d->f.keywords.n && d->f.keywords.n <= 2 &&
	    changed == (1u << FF_KEYWORDS)) {
		char *pre = dialog_category_prefix(d, &d->f.keywords);
		int sc;
		/* a word that names a branch of several sub-categories ("yoga",
		 * "pickleball") asks for the overview even when one leaf also
		 * answers to it; a leaf's own name ("mugs") is a product */
		const category *leaf = dialog_category_of(d, &d->f.keywords, &sc);
		explore = pre != NULL && (leaf == NULL || (d->f.keywords.n == 1 && sc == 1 &&
		                                           branch_size(d, pre) >= 2));
		free(pre);
	}
	finish(d, &text, out, explore);
	intent_result_free(&ir);
	(void)e;
	return 0;
}

int dialog_edit(dialog *d, const filter_delta *delta, dialog_reply *out, souk_err *e)
{
	memset(out, 0, sizeof(*out));
	souk_filter before;
	filter_copy(&before, &d->f);
	unsigned changed = filter_apply(&d->f, delta);
	changed |= fix_price_order(d, delta);
	if (changed)
		filter_history_push(&d->h, &before);
	filter_free(&before);
	out->changed = changed;
	strbuf text;
	sb_init(&text);
	if (changed)
		dialog_describe_changes(d, changed, &text);
	match_result res;
	int have = dialog_run_match(d, &d->f, &res) == 0;
	sb_add(&text, "Now: ");
	dialog_describe_state(d, &text);
	if (have) {
		say_counts(&text, &d->f, &res);
		match_result_free(&res);
	} else {
		sb_add(&text, ".");
	}
	out->text = sb_steal(&text);
	(void)e;
	return 0;
}

int dialog_undo(dialog *d, dialog_reply *out)
{
	memset(out, 0, sizeof(*out));
	souk_filter before;
	filter_copy(&before, &d->f);
	if (!filter_history_undo(&d->h, &d->f)) {
		filter_free(&before);
		out->text = xstrdup("Nothing to undo.");
		return 0;
	}
	filter_delta probe;
	filter_delta_init(&probe);
	for (int k = 0; k < FF_COUNT; k++)
		probe.set |= 1u << k;
	filter_free(&probe.f);
	filter_copy(&probe.f, &d->f);
	out->changed = filter_apply(&before, &probe);
	filter_delta_free(&probe);
	filter_free(&before);
	d->pending = Q_NONE;
	strbuf text;
	sb_init(&text);
	sb_add(&text, "Undone. Now: ");
	dialog_describe_state(d, &text);
	match_result res;
	if (dialog_run_match(d, &d->f, &res) == 0) {
		say_counts(&text, &d->f, &res);
		match_result_free(&res);
	} else {
		sb_add(&text, ".");
	}
	out->text = sb_steal(&text);
	return 1;
}
