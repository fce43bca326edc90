/* intent: the offline interpreter: one turn of plain words -> a filter delta plus intents. */
#include "intent.h"

#include <stdlib.h>
#include <string.h>

#include "intent_int.h"
#include "text.h"

/* Yes / no answers: the whole turn is answer words. */
static void find_answers(parse *p)
{
	static const char *const yes_strong[] = {
	        "yes",     "yeah",       "yep",        "yup",    "sure",    "ok",    "okay",
	        "y",       "absolutely", "definitely", "please", "require", "add",   "include",
	        "correct", "right",      "ahead",      "course", "good",    "great", "fine",
	        "perfect", "yea",        "ya",         "k",      "alright", NULL};
	static const char *const yes_weak[] = {
	        "do",     "it",     "go",     "ahead", "of",    "course", "sounds", "good", "them",
	        "those",  "that",   "thanks", "thank", "you",   "great",  "fine",   "all",  "both",
	        "please", "that's", "thats",  "it's",  "works", "with",   "me",     NULL};
	static const char *const no_strong[] = {"no",  "nope",  "nah",  "n",    "skip",
	                                        "not", "don't", "dont", "pass", NULL};
	static const char *const no_weak[] = {"needed", "necessary", "thanks", "thank",  "you",
	                                      "it",     "that",      "leave",  "now",    "them",
	                                      "those",  "required",  "need",   "bother", "right",
	                                      "for",    NULL};
	int words = 0, yes = 0, yw = 0, no = 0, nw = 0;
	for (int i = 0; i < p->n; i++) {
		if (p->t[i].kind == T_PUNCT)
			continue;
		words++;
		if (intent_is_in(p, i, yes_strong))
			yes++;
		else if (intent_is_in(p, i, yes_weak))
			yw++;
		if (intent_is_in(p, i, no_strong))
			no++;
		else if (intent_is_in(p, i, no_weak))
			nw++;
	}
	if (words && yes && yes + yw == words && !no) {
		p->r->intents |= INTENT_YES;
		intent_use(p, 0, p->n);
	} else if (words && no && no + nw == words) {
		p->r->intents |= INTENT_NO;
		intent_use(p, 0, p->n);
	}
}

static void find_intents(parse *p)
{
	static const char *const
	        r1[] = {"start", "over", NULL},
	        *const r2[] = {"start", "again", NULL}, *const r3[] = {"from", "scratch", NULL},
	        *const r4[] = {"start", "fresh", NULL}, *const r5[] = {"new", "search", NULL},
	        *const r6[] = {"clear", "all", NULL}, *const r7[] = {"forget", "everything", NULL},
	        *const r8[] = {"begin", "again", NULL}, *const r9[] = {"clean", "slate", NULL},
	        *const r10[] = {"restart", NULL}, *const r11[] = {"forget", "all", "that", NULL},
	        *const r12[] = {"reset", NULL};
	static const char *const *const resets[] = {r1, r2, r3,  r4,  r5,  r6,  r7,
	                                            r8, r9, r10, r11, r12, NULL};
	static const char *const u1[] = {"undo", NULL}, *const u2[] = {"go", "back", NULL},
	                         *const u3[] = {"revert", NULL},
	                         *const u4[] = {"scratch", "that", NULL},
	                         *const u5[] = {"take", "that", "back", NULL};
	static const char *const *const undos[] = {u1, u2, u3, u4, u5, NULL};
	static const char *const
	        e1[] = {"explore", NULL},
	        *const e2[] = {"exploring", NULL}, *const e3[] = {"idea", "of", NULL},
	        *const e4[] = {"overview", NULL}, *const e5[] = {"tell", "me", "about", NULL},
	        *const e6[] = {"interested", "in", NULL}, *const e7[] = {"thinking", "about", NULL},
	        *const e8[] = {"thinking", "of", NULL}, *const e9[] = {"curious", "about", NULL},
	        *const e10[] = {"looking", "into", NULL}, *const e11[] = {"landscape", NULL},
	        *const e12[] = {"ideas", "for", NULL};
	static const char *const *const explores[] = {e1, e2, e3,  e4,  e5,  e6,  e7,
	                                              e8, e9, e10, e11, e12, NULL};
	static const char *const h1[] = {"help", NULL},
	                         *const h2[] = {"what", "can", "you", "do", NULL},
	                         *const h3[] = {"how", "does", "this", "work", NULL};
	static const char *const *const helps[] = {h1, h2, h3, NULL};

	/* "reset the price" clears a field (intent_find_clears): only a bare reset resets */
	if (!(intent_is_w(p, 0, "reset") && p->n > 1 &&
	      intent_in_list(p->t[1].w, INTENT_FIELD_WORDS)) &&
	    intent_find_phrase(p, resets)) {
		p->r->intents |= INTENT_RESET;
		p->r->delta.reset = 1;
	}
	/* "never mind" alone takes back; "never mind the price" clears */
	if (intent_find_phrase(p, undos) ||
	    (intent_is_w(p, 0, "never") && intent_is_w(p, 1, "mind") &&
	     (p->n == 2 || !intent_in_list(p->t[2].w, INTENT_FIELD_WORDS)) && p->n <= 3)) {
		p->r->intents |= INTENT_UNDO;
		intent_use(p, 0, p->n <= 3 && intent_is_w(p, 0, "never") ? p->n : 0);
	}
	if (intent_find_phrase(p, explores))
		p->r->intents |= INTENT_EXPLORE;
	if (p->n <= 5 && intent_find_phrase(p, helps))
		p->r->intents |= INTENT_HELP;
	if (p->n == 1 && intent_is_punct(p, 0, "?"))
		p->r->intents |= INTENT_HELP;

	find_answers(p);
}

static int ordinal_word(const char *w)
{
	static const char *const ords[] = {"first",   "second", "third", "fourth", "fifth", "sixth",
	                                   "seventh", "eighth", "ninth", "tenth",  NULL};
	for (int i = 0; ords[i]; i++)
		if (!strcmp(w, ords[i]))
			return i + 1;
	return 0;
}

/* "more like #3", "similar to row 2", "like the third one". */
static void find_similar(parse *p)
{
	static const char *const cue[] = {"like", "similar", "same", "resembling", NULL};
	static const char *const filler[] = {"to",  "as",      "the",      "row",  "number", "no",
	                                     "nr",  "option",  "result",   "item", "offer",  "line",
	                                     "one", "product", "supplier", NULL};
	static const char *const want[] = {"i'd", "we'd", "would", "id", "wed", NULL};
	/* "like 3 but cheaper", not "like 300 mugs" (about 300) */
	static const char *const after_row[] = {"one",  "but",    "please", "and",     "or",
	                                        "only", "though", "thanks", "with",    "in",
	                                        "from", "for",    "except", "instead", NULL};
	for (int i = 0; i < p->n; i++) {
		/* "I'd like 500 mugs", "like 500pcs": wanting or about, not similar */
		if (!intent_is_in(p, i, cue) || intent_is_in(p, i - 1, want))
			continue;
		for (int j = i + 1; j < p->n && j <= i + 4; j++) {
			tok *t = &p->t[j];
			int row = 0, kind;
			double f;
			if (t->kind == T_NUM && !t->decimal && !t->kilo && t->num >= 1 &&
			    t->num <= 1000 && !intent_is_measure_word(p, j + 1) &&
			    !(j > 0 && p->t[j - 1].kind == T_SYM) &&
			    !(intent_unit_of(p, j + 1, &kind, &f) && kind == U_SPEC) &&
			    !(j + 1 < p->n && p->t[j + 1].kind == T_WORD &&
			      !intent_is_in(p, j + 1, after_row)))
				row = (int)t->num;
			else if (t->kind == T_WORD && ordinal_word(t->w))
				row = ordinal_word(t->w);
			if (row) {
				p->r->intents |= INTENT_SIMILAR;
				p->r->similar_row = row;
				intent_use(p, i, j - i + 1);
				if (intent_is_w(p, j + 1, "one"))
					intent_use(p, j + 1, 1);
				return;
			}
			if (!(t->kind == T_PUNCT && t->w[0] == '#') && !intent_is_in(p, j, filler))
				break;
		}
	}
}

/* ---- the delta ---- */

static void set_number(parse *p, enum filter_field f, double v, double *slot)
{
	if (v < 0)
		return;
	*slot = v;
	p->r->delta.set |= 1u << f;
}

/* Long: one flat step per filter field, in the filter's order; no step depends on another. */
static void build_delta(parse *p)
{
	filter_delta *d = &p->r->delta;
	souk_filter *f = &d->f;

	/* clears first: a value said in the same turn overrides */
	for (int k = 0; k < FF_COUNT; k++)
		if (p->clear & (1u << k))
			d->set |= 1u << k;
	if (p->pmin >= 0 && p->pmax >= 0 && p->pmin > p->pmax) {
		intent_note(
		        p, "A minimum price above the maximum cannot match anything, so I left the "
		           "price as it was.");
		p->pmin = p->pmax = -1;
		p->cur[0] = 0;
	}
	set_number(p, FF_QUANTITY, p->qty, &f->quantity);
	set_number(p, FF_PRICE_MIN, p->pmin, &f->price_min);
	set_number(p, FF_PRICE_MAX, p->pmax, &f->price_max);
	/* a new upper bound alone drops an old lower bound only when they clash:
	 * the dialog checks that against the state */
	set_number(p, FF_MOQ_MAX, p->moq, &f->moq_max);
	set_number(p, FF_LEAD_TIME, p->lead, &f->lead_time_max_days);
	set_number(p, FF_MIN_RATING, p->rating, &f->min_rating);
	set_number(p, FF_MIN_YEARS, p->years, &f->min_years);
	if (p->cur[0]) {
		memcpy(f->currency, p->cur, 4);
		d->set |= 1u << FF_CURRENCY;
	}
	if (p->verified >= 0) {
		f->verified_only = p->verified;
		d->set |= 1u << FF_VERIFIED;
	}
	if (p->samples >= 0) {
		f->samples = p->samples;
		d->set |= 1u << FF_SAMPLES;
	}
	if (p->larger_moq >= 0) {
		f->include_larger_moq = p->larger_moq;
		d->set |= 1u << FF_INCLUDE_LARGER_MOQ;
	}
	if (p->custom >= 0) {
		f->customization = p->custom;
		d->set |= 1u << FF_CUSTOMIZATION;
	}
	if (p->btype > 0) {
		free(f->business_type);
		f->business_type = p->btype == 1   ? xstrdup("manufacturer")
		                   : p->btype == 2 ? xstrdup("trading")
		                                   : NULL;
		d->set |= 1u << FF_BUSINESS_TYPE;
	}
	if (p->incoterm) {
		f->incoterm = xstrdup(p->incoterm);
		d->set |= 1u << FF_INCOTERM;
	}
	if (p->market[0]) {
		f->market = xstrdup(p->market);
		d->set |= 1u << FF_MARKET;
	}
	if (p->sup.n) {
		int replace = p->sup_said && !p->sup_additive && p->ctx && p->ctx->have_suppliers;
		if (replace) {
			strlist_copy(&f->supplier_countries, &p->sup);
			d->set |= 1u << FF_SUPPLIER_COUNTRIES;
		} else {
			for (int i = 0; i < p->sup.n; i++)
				strlist_add(&d->add[FF_SUPPLIER_COUNTRIES], p->sup.v[i]);
		}
		for (int i = 0; i < p->sup.n; i++)
			strlist_add(&d->del[FF_EXCLUDE_COUNTRIES], p->sup.v[i]);
	}
	if (p->exc.n) {
		if (p->exc_replace) {
			strlist_copy(&f->exclude_countries, &p->exc);
			d->set |= 1u << FF_EXCLUDE_COUNTRIES;
		} else {
			for (int i = 0; i < p->exc.n; i++)
				strlist_add(&d->add[FF_EXCLUDE_COUNTRIES], p->exc.v[i]);
		}
		for (int i = 0; i < p->exc.n; i++)
			strlist_add(&d->del[FF_SUPPLIER_COUNTRIES], p->exc.v[i]);
	}
	for (int i = 0; i < p->unexc.n; i++)
		strlist_add(&d->del[FF_EXCLUDE_COUNTRIES], p->unexc.v[i]);
	for (int i = 0; i < p->sup_del.n; i++)
		strlist_add(&d->del[FF_SUPPLIER_COUNTRIES], p->sup_del.v[i]);
	for (int i = 0; i < p->cert_add.n; i++)
		strlist_add(&d->add[FF_CERTIFICATIONS], p->cert_add.v[i]);
	for (int i = 0; i < p->cert_del.n; i++)
		strlist_add(&d->del[FF_CERTIFICATIONS], p->cert_del.v[i]);
}

void intent_ctx_init(intent_ctx *c)
{
	memset(c, 0, sizeof(*c));
	c->expect = INTENT_EXPECT_NONE;
	c->last_country_field = FF_COUNT;
	c->last_number_field = FF_COUNT;
	c->budget_hint = -1;
}

void intent_result_init(intent_result *r)
{
	memset(r, 0, sizeof(*r));
	filter_delta_init(&r->delta);
	sb_init(&r->notes);
	r->country_field = FF_COUNT;
}

void intent_result_free(intent_result *r)
{
	filter_delta_free(&r->delta);
	sb_free(&r->notes);
	strlist_clear(&r->unused);
	memset(r, 0, sizeof(*r));
}

void intent_parse(const intent_vocab *v, const char *text, const intent_ctx *ctx,
                  intent_result *out)
{
	parse p;
	memset(&p, 0, sizeof(p));
	p.v = v;
	p.ctx = ctx;
	p.r = out;
	p.qty = p.pmin = p.pmax = p.moq = p.lead = p.rating = p.years = p.total = -1;
	p.verified = p.samples = p.custom = p.larger_moq = -1;
	p.last_cfield = FF_COUNT;
	if (!text)
		text = "";
	size_t len = strlen(text);
	int cut = len > INTENT_MAX_INPUT;
	char *raw = xstrndup(text, cut ? INTENT_MAX_INPUT : len);
	char *clean = text_sanitize(raw, 0);
	free(raw);
	p.t = xmalloc(sizeof(tok) * MAX_TOKENS);
	intent_lex(&p, clean);
	free(clean);
	if (cut || p.n >= MAX_TOKENS)
		intent_note(&p, "That was long: I read only the beginning.");
	intent_fold_numbers(&p);
	intent_fold_currency_names(&p);
	intent_fold_money(&p);
	tok_compact(&p);
	intent_join_specs(&p);
	tok_compact(&p);
	intent_join_hyphen_specs(&p);
	intent_mark_clauses(&p);

	intent_fix_typos(&p);
	intent_find_compounds(&p);
	intent_find_larger_moq(&p); /* before "MOQs are fine" reads as a clear */
	find_intents(&p);
	intent_find_superlative(&p);
	intent_find_questions(&p);
	find_similar(&p);
	intent_find_clears(&p);
	intent_find_keyword_edits(&p);
	intent_find_anywhere(&p);
	intent_find_certs(&p);
	intent_find_countries(&p);
	intent_find_scale(&p);
	intent_find_numbers(&p);
	intent_divide_total(&p);
	intent_find_flags(&p);
	intent_find_currency(&p);
	/* "cheaper" with no price in the turn is a step down, not a bound */
	for (int i = 0; i < p.n; i++) {
		if (p.t[i].used)
			continue;
		if ((intent_is_w(&p, i, "cheaper") || intent_is_w(&p, i, "cheapest") ||
		     (intent_is_w(&p, i, "less") && intent_is_w(&p, i + 1, "expensive")) ||
		     (intent_is_w(&p, i, "too") &&
		      (intent_is_w(&p, i + 1, "expensive") || intent_is_w(&p, i + 1, "pricey"))) ||
		     (intent_is_w(&p, i, "lower") &&
		      (intent_is_w(&p, i + 1, "price") || intent_is_w(&p, i + 1, "prices")))) &&
		    !p.price_said && !(p.clear & (1u << FF_PRICE_MAX)))
			out->intents |= INTENT_CHEAPER;
	}
	intent_use_field_adjectives(&p);
	intent_find_keywords(&p);
	build_delta(&p);
	out->understood = !filter_delta_is_empty(&out->delta) || out->intents != 0;

	strlist_clear(&p.sup);
	strlist_clear(&p.exc);
	strlist_clear(&p.unexc);
	strlist_clear(&p.sup_del);
	strlist_clear(&p.cert_add);
	strlist_clear(&p.cert_del);
	free(p.t);
}
