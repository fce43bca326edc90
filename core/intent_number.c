/* intent_number: numbers -> price, quantity, MOQ, lead time, rating, years, specs; scaling. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "intent_int.h"

/* ---- numbers ---- */

enum cmp { C_NONE, C_MAX, C_MIN };
enum nrole { N_NONE, N_PRICE, N_QTY, N_MOQ, N_LEAD, N_RATING, N_YEARS, N_SPEC, N_SKIP };

static const char *const MAX_WORDS[] = {"under",   "below",   "max",   "maximum", "less",
                                        "fewer",   "cheaper", "lower", "upto",    "within",
                                        "beneath", "tops",    "limit", "cap",     "ceiling",
                                        "budget",  "before",  "by",    "inside",  NULL};
static const char *const MIN_WORDS[] = {"over",     "above",     "more",    "least",
                                        "min",      "minimum",   "greater", "higher",
                                        "starting", "exceeding", "better",  NULL};

/* The comparison word before the number at s ("under", "no higher than");
 * *at gets its index, or -1. */
static enum cmp cmp_before(const parse *p, int s, int *at)
{
	*at = -1;
	for (int k = 1; k <= WINDOW; k++) {
		int j = intent_back(p, s, k);
		if (j < 0 || p->t[j].kind == T_NUM)
			break;
		const tok *t = &p->t[j];
		*at = j;
		if (t->kind == T_PUNCT) {
			if (t->w[0] == '<')
				return C_MAX;
			if (t->w[0] == '>')
				return C_MIN;
			continue;
		}
		if (intent_is_w(p, j, "most"))
			return C_MAX; /* at most */
		if ((intent_is_w(p, j, "more") || intent_is_w(p, j, "over") ||
		     intent_is_w(p, j, "above") || intent_is_w(p, j, "higher") ||
		     intent_is_w(p, j, "greater") || intent_is_w(p, j, "longer") ||
		     intent_is_w(p, j, "later") || intent_is_w(p, j, "bigger") ||
		     intent_is_w(p, j, "larger") || intent_is_w(p, j, "pricier") ||
		     intent_is_w(p, j, "slower")) &&
		    (intent_is_w(p, j - 1, "no") || intent_is_w(p, j - 1, "not")))
			return C_MAX;
		/* "faster than 10 days", "shorter than 3 weeks" */
		if ((intent_is_w(p, j, "faster") || intent_is_w(p, j, "shorter") ||
		     intent_is_w(p, j, "sooner") || intent_is_w(p, j, "quicker")) &&
		    intent_is_w(p, j + 1, "than"))
			return C_MAX;
		/* "prices from $1": a floor, only right before its number */
		const char *code;
		double sc;
		if (intent_is_w(p, j, "from") && j == s - 1 &&
		    (p->t[s].kind == T_SYM || intent_currency_of(p, s + 1, &code, &sc)))
			return C_MIN;
		if (intent_is_w(p, j, "to") && intent_is_w(p, j - 1, "up"))
			return C_MAX;
		/* "sub $5", "sub-10 days": only right before its number */
		if (intent_is_w(p, j, "sub") &&
		    (j == s - 1 || (j == s - 2 && intent_is_punct(p, s - 1, "-"))))
			return C_MAX;
		/* "nothing under $8", "no cheaper than €3", "not less than": a floor */
		static const char *const none[] = {"nothing", "no", "not", "never", "none", NULL};
		static const char *const lower[] = {"under", "below",   "cheaper", "less",
		                                    "lower", "beneath", NULL};
		if (intent_is_in(p, j, lower) && intent_is_in(p, j - 1, none))
			return C_MIN;
		/* "a minimum budget of $10" */
		if (intent_is_w(p, j, "budget") &&
		    (intent_is_w(p, j - 1, "minimum") || intent_is_w(p, j - 1, "min")))
			return C_MIN;
		if (intent_in_list(t->w, MAX_WORDS))
			return C_MAX;
		if (intent_in_list(t->w, MIN_WORDS))
			return C_MIN;
	}
	*at = -1;
	return C_NONE;
}

/* A comparison word is spent with its number when only function words
 * stand between them ("price no higher than $2"), so it is no product
 * term; one further away ("lower back braces, $5") stays a word. */
static void use_cmp(parse *p, int at, int s)
{
	if (at < 0)
		return;
	for (int j = at + 1; j < s; j++)
		if (p->t[j].kind == T_WORD && !p->t[j].used && smap_get(&p->v->stop, p->t[j].w) < 0)
			return;
	intent_use(p, at, 1);
}

static enum cmp cmp_after(const parse *p, int e, int *end)
{
	static const char *const maxa[] = {"max", "maximum", "tops", "limit", "cap", NULL};
	static const char *const mina[] = {"minimum", "min", "plus", NULL};
	static const char *const or_max[] = {"less",   "lower",  "cheaper", "under",
	                                     "below",  "fewer",  "smaller", "shorter",
	                                     "faster", "sooner", NULL};
	static const char *const or_min[] = {"more", "higher", "better",  "above",
	                                     "over", "up",     "greater", NULL};
	*end = e;
	if (intent_is_punct(p, e + 1, "+")) {
		*end = e + 1;
		return C_MIN;
	}
	if (intent_is_in(p, e + 1, maxa)) {
		*end = e + 1;
		return C_MAX;
	}
	if (intent_is_in(p, e + 1, mina)) {
		*end = e + 1;
		return C_MIN;
	}
	if (intent_is_w(p, e + 1, "at") &&
	    (intent_is_w(p, e + 2, "most") || intent_is_w(p, e + 2, "least"))) {
		*end = e + 2;
		return intent_is_w(p, e + 2, "most") ? C_MAX : C_MIN;
	}
	/* "$5 or less", but not "over $5 and under $12" */
	int next_num = e + 3 < p->n && (p->t[e + 3].kind == T_NUM || p->t[e + 3].kind == T_SYM);
	if ((intent_is_w(p, e + 1, "or") || intent_is_w(p, e + 1, "and")) && !next_num) {
		if (intent_is_in(p, e + 2, or_max)) {
			*end = e + 2;
			return C_MAX;
		}
		if (intent_is_in(p, e + 2, or_min)) {
			*end = e + 2;
			return C_MIN;
		}
	}
	return C_NONE;
}

/* The nearest word before s that says what a number is about. */
static enum nrole cue_before(const parse *p, int s)
{
	static const char *const price[] = {"price",   "prices",    "priced", "budget",  "cost",
	                                    "costs",   "costing",   "pay",    "paying",  "spend",
	                                    "cheaper", "expensive", "target", "pricing", NULL};
	static const char *const lead[] = {"lead-time", "lead",      "within",     "deliver",
	                                   "delivery",  "delivered", "ship",       "shipping",
	                                   "shipped",   "dispatch",  "turnaround", "production",
	                                   "arrive",    "deadline",  NULL};
	static const char *const qty[] = {"qty",        "quantity", "order",    "need",
	                                  "buy",        "buying",   "purchase", "volume",
	                                  "quantities", "units",    NULL};
	static const char *const rating[] = {"rating", "rated",   "ratings", "stars",
	                                     "score",  "reviews", NULL};
	static const char *const years[] = {"experience", "established", "operating", NULL};
	for (int k = 1; k <= WINDOW + 1; k++) {
		int j = intent_back(p, s, k);
		if (j < 0 || p->t[j].kind == T_NUM)
			break;
		if (intent_is_w(p, j, "moq") || intent_is_w(p, j, "moqs"))
			return N_MOQ;
		if ((intent_is_w(p, j, "order") || intent_is_w(p, j, "orders") ||
		     intent_is_w(p, j, "qty") || intent_is_w(p, j, "quantity")) &&
		    (intent_is_w(p, j - 1, "minimum") || intent_is_w(p, j - 1, "min") ||
		     (intent_is_w(p, j - 1, "order") &&
		      (intent_is_w(p, j - 2, "minimum") || intent_is_w(p, j - 2, "min")))))
			return N_MOQ;
		if (intent_is_w(p, j, "minimum") && intent_is_w(p, j - 1, "order"))
			return N_MOQ;
		if (intent_is_in(p, j, rating))
			return N_RATING;
		if (intent_is_in(p, j, price))
			return N_PRICE;
		if (intent_is_in(p, j, lead))
			return N_LEAD;
		if (intent_is_in(p, j, years))
			return N_YEARS;
		if (intent_is_in(p, j, qty))
			return N_QTY;
		if (intent_is_w(p, j, "make") && intent_is_w(p, j + 1, "it"))
			return N_NONE;
	}
	return N_NONE;
}

/* Reads "$0.20", "20 to 40 cents", "5,000 pcs", "2-3 weeks" at i. */
/* Long: a number phrase read left to right (value, range, each end's currency and unit), as
 * written. */
static void read_number(parse *p, int i, numphrase *np)
{
	memset(np, 0, sizeof(*np));
	np->s = np->e = i;
	np->a = p->t[i].num;
	np->decimal = p->t[i].decimal;
	np->dot3 = p->t[i].dot3;
	np->scale = 1;
	np->scale_b = -1;
	const char *c;
	double sc;
	int own_a = 0;
	if (i > 0 && intent_currency_of(p, i - 1, &c, &sc) && !p->t[i - 1].used) {
		np->cur = c;
		np->scale = sc;
		np->s = i - 1;
		own_a = 1;
	}
	int j = i + 1;
	if (intent_currency_of(p, j, &c, &sc)) {
		np->cur = c, np->scale = sc;
		own_a = 1;
		j++;
	}
	/* a range: "-", "to", "and" after "between" */
	int sep =
	        intent_is_punct(p, j, "-") || intent_is_punct(p, j, "~") ||
	        intent_is_w(p, j, "to") ||
	        (intent_is_w(p, j, "and") && intent_is_w(p, intent_back(p, np->s, 1), "between")) ||
	        (intent_is_w(p, j, "or") && j + 1 < p->n && p->t[j + 1].kind == T_NUM &&
	         !intent_is_w(p, j + 1, "more"));
	int k = j + 1;
	if (sep && intent_currency_of(p, k, &c, &sc) && p->t[k].kind == T_SYM) {
		/* "80p to £1.20": each end in its own unit */
		np->cur = c;
		if (own_a)
			np->scale_b = sc;
		else
			np->scale = sc;
		k++;
	}
	if (sep && k < p->n && p->t[k].kind == T_NUM && !p->t[k].used) {
		np->range = 1;
		np->b = p->t[k].num;
		np->decimal |= p->t[k].decimal;
		j = k + 1;
	}
	np->e = j - 1;
	if (intent_currency_of(p, j, &c, &sc)) {
		np->cur = c, np->scale = sc;
		np->e = j++;
	}
	int kind;
	double f;
	/* "30-day", "4.5-star" */
	if (intent_is_punct(p, j, "-") && intent_unit_of(p, j + 1, &kind, &f) &&
	    kind != U_THOUSAND && kind != U_SPEC && !np->range)
		j++;
	/* "4.5/5" */
	if (intent_is_punct(p, j, "/") && j + 1 < p->n && p->t[j + 1].kind == T_NUM &&
	    p->t[j + 1].num == 5 && np->a <= 5) {
		np->e = j + 1;
		j += 2;
	}
	/* "10+ years", "4.5+ stars" */
	if (intent_is_punct(p, j, "+") && intent_unit_of(p, j + 1, &kind, &f) &&
	    kind != U_THOUSAND) {
		np->plus = 1;
		j++;
	}
	if (intent_unit_of(p, j, &kind, &f) && kind != U_THOUSAND) {
		/* "business days", "working days" */
		if ((intent_is_w(p, j, "business") || intent_is_w(p, j, "working")) &&
		    !(intent_is_w(p, j + 1, "days") || intent_is_w(p, j + 1, "day")))
			return;
		if (intent_is_w(p, j, "business") || intent_is_w(p, j, "working"))
			j++;
		np->unit = kind;
		np->factor = f;
		np->has_unit = 1;
		np->e = j;
	}
}

static int valid(parse *p, enum nrole role, double v, const numphrase *np)
{
	const char *what = role == N_PRICE    ? "price"
	                   : role == N_QTY    ? "quantity"
	                   : role == N_MOQ    ? "MOQ"
	                   : role == N_LEAD   ? "lead time"
	                   : role == N_RATING ? "rating"
	                                      : "number of years";
	if (isnan(v) || v < 0) {
		intent_note(p, "A %s cannot be negative, so I left it as it was.", what);
		return 0;
	}
	double hi = role == N_PRICE    ? 1e7
	            : role == N_LEAD   ? 3650
	            : role == N_RATING ? 5
	            : role == N_YEARS  ? 200
	                               : 1e9;
	if (!isfinite(v) || v > hi || (v == 0 && role != N_RATING && role != N_YEARS)) {
		if (role == N_RATING)
			intent_note(p, "Ratings go from 0 to 5, so I ignored %s.", p->t[np->e].w);
		else if (v == 0)
			intent_note(p, "A %s of 0 does not make sense, so I left it as it was.",
			            what);
		else
			intent_note(p, "That %s is out of range, so I left it as it was.", what);
		return 0;
	}
	return 1;
}

static void set_num(parse *p, enum nrole role, enum cmp cmp, const numphrase *np)
{
	double a = np->a * np->scale, b = np->b * (np->scale_b >= 0 ? np->scale_b : np->scale);
	double f = np->has_unit ? np->factor : 1;
	switch (role) {
	case N_PRICE:
		if (np->range) {
			if (!valid(p, role, a, np) || !valid(p, role, b, np))
				return;
			p->pmin = a < b ? a : b;
			p->pmax = a < b ? b : a;
		} else {
			if (!valid(p, role, a, np))
				return;
			if (cmp == C_MIN)
				p->pmin = a;
			else
				p->pmax = a;
		}
		if (np->cur && *np->cur)
			snprintf(p->cur, sizeof(p->cur), "%s", np->cur);
		p->price_said = 1;
		break;
	case N_QTY:
		if (valid(p, role, np->a * (np->dot3 ? 1000 : 1), np))
			p->qty = round(np->a * (np->dot3 ? 1000 : 1));
		break;
	case N_MOQ:
		if (valid(p, role, (np->range ? np->b : np->a) * (np->dot3 ? 1000 : 1), np))
			p->moq = round((np->range ? np->b : np->a) * (np->dot3 ? 1000 : 1));
		break;
	case N_LEAD: {
		double d = (np->range ? np->b : np->a) * f;
		if (valid(p, role, d, np))
			p->lead = round(d);
		break;
	}
	case N_RATING:
		if (valid(p, role, np->a, np))
			p->rating = np->a;
		break;
	case N_YEARS:
		if (valid(p, role, np->a, np))
			p->years = np->a;
		break;
	default:
		break;
	}
}

static int is_noun_after(const parse *p, int j)
{
	if (j >= p->n || p->t[j].kind != T_WORD)
		return 0;
	int kind;
	double f;
	const char *c;
	if (intent_unit_of(p, j, &kind, &f) || intent_currency_of(p, j, &c, &f))
		return 0;
	static const char *const no[] = {"or",      "and",     "to",   "max", "min",
	                                 "minimum", "maximum", "tops", "at",  "per",
	                                 "each",    "is",      "are",  "moq", NULL};
	return !intent_is_in(p, j, no);
}

static int bounded(int field)
{
	return field == FF_PRICE_MAX || field == FF_PRICE_MIN || field == FF_MOQ_MAX ||
	       field == FF_LEAD_TIME;
}

static enum nrole field_role(int field)
{
	switch (field) {
	case FF_QUANTITY:
		return N_QTY;
	case FF_PRICE_MAX:
	case FF_PRICE_MIN:
		return N_PRICE;
	case FF_MOQ_MAX:
		return N_MOQ;
	case FF_LEAD_TIME:
		return N_LEAD;
	case FF_MIN_RATING:
		return N_RATING;
	case FF_MIN_YEARS:
		return N_YEARS;
	default:
		return N_NONE;
	}
}

/* The field "make it N" corrects: among the number fields the last turn
 * changed, the one whose value N is closest to in scale (a ratio, so 2000
 * after $1,800 is a price and 600 after $14 and 200 units a quantity); a
 * decimal is never a count, and "under N" only fits a bound. */
static int fitting_field(const parse *p, const numphrase *np, enum cmp cmp)
{
	unsigned mask = p->ctx->last_number_fields ? p->ctx->last_number_fields
	                                           : 1u << p->ctx->last_number_field;
	const souk_filter *st = p->ctx->state;
	int best = p->ctx->last_number_field;
	double best_d = INFINITY;
	for (int f = 0; st && f < FF_COUNT; f++) {
		if (!(mask & (1u << f)) || field_role(f) == N_NONE)
			continue;
		if ((np->decimal && (f == FF_QUANTITY || f == FF_MOQ_MAX)) ||
		    (cmp != C_NONE && !bounded(f)))
			continue;
		double now = filter_number(st, f);
		if (now <= 0 || np->a <= 0)
			continue;
		double d = fabs(log(np->a / now));
		if (d < best_d) {
			best_d = d;
			best = f;
		}
	}
	/* fitting nothing said (2000 after "under $8" is 250 times the price):
	 * a whole number that large is the order's size */
	if (best_d > log(20) && !np->decimal && np->a >= 20 && best != FF_QUANTITY && cmp == C_NONE)
		return FF_QUANTITY;
	return best;
}

static void set_number_field(parse *p, int f, double v)
{
	switch (f) {
	case FF_QUANTITY:
		p->qty = v;
		break;
	case FF_PRICE_MAX:
		p->pmax = v;
		p->price_said = 1;
		break;
	case FF_PRICE_MIN:
		p->pmin = v;
		p->price_said = 1;
		break;
	case FF_MOQ_MAX:
		p->moq = v;
		break;
	case FF_LEAD_TIME:
		p->lead = v;
		break;
	case FF_MIN_RATING:
		p->rating = v;
		break;
	default:
		p->years = v;
		break;
	}
}

/* "not 4000, 400", "not 5 but 3", "400, not 4000": the number after "not"
 * is the value a field holds now, and the other one replaces it. Which
 * field is told by the value, not by guessing: it must be in the state. */
static int number_swap(parse *p, int i)
{
	const souk_filter *st = p->ctx ? p->ctx->state : NULL;
	int old = -1, neu = -1, first = i, last = i;

	if (!st || p->t[i].kind != T_NUM || p->t[i].used)
		return 0;
	if (intent_is_w(p, i - 1, "not")) { /* not X[,|but|;] Y */
		int j = i + 1;
		while (j < p->n && (intent_is_punct(p, j, ",") || intent_is_punct(p, j, ";") ||
		                    intent_is_w(p, j, "but") || intent_is_w(p, j, "it's") ||
		                    intent_is_w(p, j, "its")))
			j++;
		if (j < p->n && j <= i + 3 && p->t[j].kind == T_NUM && !p->t[j].used)
			old = i, neu = j, first = i - 1, last = j;
	} else { /* Y[,] not X */
		int j = i + 1;
		if (intent_is_punct(p, j, ","))
			j++;
		if (intent_is_w(p, j, "not") && j + 1 < p->n && p->t[j + 1].kind == T_NUM &&
		    !p->t[j + 1].used)
			neu = i, old = j + 1, first = i, last = j + 1;
	}
	if (old < 0)
		return 0;
	for (int f = 0; f < FF_COUNT; f++) {
		double now = field_role(f) == N_NONE ? -1 : filter_number(st, f);
		if (now > 0 && fabs(now - p->t[old].num) < 1e-9 * fmax(1, now)) {
			set_number_field(p, f, p->t[neu].num);
			intent_use(p, first, last - first + 1);
			return 1;
		}
	}
	return 0;
}

/* A year a supplier was founded in: "since 2015", "established in 2010",
 * "est. 2008", "founded 2012". */
static int founded_year(parse *p, const numphrase *np)
{
	static const char *const cue[] = {
	        "since",        "established", "founded",   "est",     "estd",
	        "incorporated", "registered",  "operating", "started", NULL};
	static const char *const skip[] = {"in", "at", "least", "around", "about", "year", NULL};
	if (np->s != np->e || np->cur || p->t[np->s].decimal || np->a < 1900 || np->a > 2100)
		return 0;
	for (int k = 1; k <= 4; k++) {
		int b = intent_back(p, np->s, k);
		if (intent_is_in(p, b, cue)) {
			intent_use(p, b, 1);
			return 1;
		}
		if (!intent_is_in(p, b, skip) && !intent_is_punct(p, b, "."))
			return 0;
	}
	return 0;
}

/* A word for the supplier shortly before i in the clause ("companies at
 * least 5 years old"). */
static int supplier_before(const parse *p, int i)
{
	for (int k = 1; k <= WINDOW; k++) {
		int j = intent_back(p, i, k);
		if (j < 0)
			return 0;
		if (intent_is_in(p, j, INTENT_SUPPLIER_AFTER) || intent_is_w(p, j, "business") ||
		    intent_is_w(p, j, "firm") || intent_is_w(p, j, "firms"))
			return 1;
	}
	return 0;
}

/* Numbers that describe the product, never a quantity or a price: after
 * a model word ("iphone 15", "series 9", "sizes 5 to 10"), before a part
 * it counts ("160 pages", "400 thread count") or a material it grades
 * ("925 sterling", "18k gold"), the pack size in "cards of 5", and "a 2025
 * calendar" (an article before the number: it qualifies one thing). The
 * model number joins its word as one keyword ("iphone 15"). */
static int spec_number(parse *p, int i)
{
	int b = i - 1, n = i + 1, k = 0;
	if (p->t[i].folded || p->t[i].spelled)
		return 0;
	if (intent_wclass_of(p, b) == WC_MODEL) {
		k = 1;
		if (!intent_is_w(p, b, "size") && !intent_is_w(p, b, "sizes") &&
		    strlen(p->t[b].w) + 8 < WORD_MAX) {
			char w[2 * WORD_MAX + 2];
			snprintf(w, sizeof(w), "%s %s", p->t[b].w, p->t[i].w);
			tok_set(&p->t[b], w, strlen(w) < WORD_MAX ? strlen(w) : WORD_MAX - 1);
		} else {
			intent_use(p, b, 1);
		}
		/* "sizes 5 to 10" */
		if ((intent_is_w(p, n, "to") || intent_is_punct(p, n, "-")) && n + 1 < p->n &&
		    p->t[n + 1].kind == T_NUM)
			intent_use(p, n, 2);
	} else if (intent_wclass_of(p, n) == WC_PART ||
	           (n < p->n && p->t[n].kind == T_WORD && intent_wclass_of(p, n + 1) == WC_PART &&
	            !intent_is_measure_word(p, n))) {
		k = 1;
	} else if (intent_wclass_of(p, n) == WC_GRADE && !p->t[i].decimal) {
		k = 1;
		if (p->t[i].kilo) /* "18k gold": carats, one keyword */
			snprintf(p->t[i].w, WORD_MAX, "%.0fk", p->t[i].num / 1000),
			        p->t[i].kind = T_WORD;
	} else if (intent_is_w(p, b, "of") && intent_wclass_of(p, b - 1) == WC_PACK &&
	           !intent_is_w(p, n, "each")) {
		k = 1;
	} else if ((intent_is_w(p, b, "a") || intent_is_w(p, b, "an")) && n < p->n &&
	           p->t[n].kind == T_WORD && !intent_is_measure_word(p, n) && p->t[n].w[0] &&
	           p->t[n].w[strlen(p->t[n].w) - 1] != 's') {
		k = 1;
	}
	if (!k)
		return 0;
	if (p->t[i].kind == T_NUM)
		intent_use(p, i, 1);
	return 1;
}

/* "9-pocket", "5-star hotel", "2-pack": a number joined to a word by a
 * hyphen describes the product; it stays one keyword. A time ("30-day
 * lead time") and a rating ("4.5-star rating", "5-star suppliers") are
 * read as numbers. */
void intent_join_hyphen_specs(parse *p)
{
	static const char *const rated[] = {
	        "rating",  "ratings", "rated", "supplier", "suppliers", "seller", "sellers",
	        "reviews", "or",      "and",   "minimum",  "min",       "plus",   NULL};
	for (int i = 0; i + 2 < p->n; i++) {
		tok *t = &p->t[i];
		int kind;
		double f;
		const char *c;
		if (t->kind != T_NUM || t->gone || !intent_is_punct(p, i + 1, "-") ||
		    !p->t[i + 1].tight || p->t[i + 2].kind != T_WORD ||
		    intent_currency_of(p, i - 1, &c, &f) || intent_currency_of(p, i + 2, &c, &f))
			continue;
		if (intent_unit_of(p, i + 2, &kind, &f) &&
		    (kind == U_TIME || kind == U_YEARS || kind == U_THOUSAND ||
		     (kind == U_STAR && (intent_is_in(p, i + 3, rated) || i + 3 >= p->n ||
		                         p->t[i + 3].kind != T_WORD))))
			continue;
		char w[2 * WORD_MAX + 2];
		snprintf(w, sizeof(w), "%s-%s", t->w, p->t[i + 2].w);
		tok_set(t, w, strlen(w) < WORD_MAX ? strlen(w) : WORD_MAX - 1);
		t->kind = T_WORD;
		tok_drop(p, i + 1, 2);
	}
	tok_compact(p);
}

static int clause_has_class(const parse *p, int i, int c)
{
	for (int j = i - 1; j >= 0 && intent_same_clause(p, j, i); j--)
		if (intent_wclass_of(p, j) == c)
			return 1;
	for (int j = i + 1; j < p->n && intent_same_clause(p, j, i); j++)
		if (intent_wclass_of(p, j) == c)
			return 1;
	return 0;
}

/* "we've been going 10 years": a clause about the buyer ("we", "I") that
 * names no supplier speaks of the buyer's own business. */
static int about_buyer(const parse *p, int i)
{
	static const char *const me[] = {"we",  "we're", "we've", "i",    "i'm", "i've",
	                                 "our", "my",    "been",  "were", NULL};
	int mine = 0;
	for (int j = i - 1; j >= 0 && intent_same_clause(p, j, i); j--) {
		if (intent_in_list(p->t[j].w, INTENT_SUPPLIER_AFTER) ||
		    intent_is_w(p, j, "business"))
			return 0;
		mine |= intent_is_in(p, j, me);
	}
	for (int j = i + 1; j < p->n && intent_same_clause(p, j, i); j++)
		if (intent_in_list(p->t[j].w, INTENT_SUPPLIER_AFTER) ||
		    intent_is_w(p, j, "business"))
			return 0;
	return mine;
}

/* Long: the rules that give a number its field, in precedence order; splitting them would hide the
 * order. */
void intent_find_numbers(parse *p)
{
	enum nrole last_role = N_NONE;
	int nnums = 0, nwords = 0;
	for (int i = 0; i < p->n; i++) {
		if (p->t[i].kind == T_NUM && !p->t[i].used)
			nnums++;
		else if (p->t[i].kind == T_WORD && !p->t[i].used)
			nwords++;
	}
	for (int i = 0; i < p->n; i++)
		number_swap(p, i);
	for (int i = 0; i < p->n; i++) {
		tok *t = &p->t[i];
		if (t->kind != T_NUM || t->used)
			continue;
		/* "2.000 cork coasters": a count, so the dot groups thousands */
		if (t->dot3 && (is_noun_after(p, i + 1) || intent_is_measure_word(p, i + 1))) {
			t->num *= 1000;
			t->decimal = t->dot3 = 0;
		}
		if (spec_number(p, i)) {
			while (i + 1 < p->n && p->t[i + 1].used && p->t[i + 1].kind == T_NUM)
				i++;
			continue;
		}
		/* "my friend made 10k off them": what someone else did is no filter */
		if (clause_has_class(p, i, WC_PERSON)) {
			intent_use(p, i, 1);
			continue;
		}
		numphrase np;
		read_number(p, i, &np);
		int end;
		enum cmp ca = cmp_after(p, np.e, &end);
		int cb_at;
		enum cmp cb = cmp_before(p, np.s, &cb_at);
		enum cmp cmp = np.plus ? C_MIN : ca != C_NONE ? ca : cb;
		enum nrole cue = cue_before(p, np.s);
		enum nrole role = N_NONE;
		/* words right after the number that say what it is */
		/* what a price can be per: "2.50 per metre", "£4/kg" */
		static const char *const piece[] = {
		        "piece", "unit",   "pc",     "pcs",   "item", "pair",  "set",   "metre",
		        "meter", "metres", "meters", "m",     "kg",   "roll",  "dozen", "yard",
		        "foot",  "ft",     "pack",   "sheet", "box",  "litre", "liter", NULL};
		int a1 = end + 1;
		while (intent_is_w(p, a1, "each") || intent_is_w(p, a1, "per") ||
		       intent_is_w(p, a1, "a") || intent_is_punct(p, a1, "/") ||
		       intent_is_w(p, a1, "apiece") ||
		       (intent_is_in(p, a1, piece) &&
		        (intent_is_w(p, a1 - 1, "per") || intent_is_w(p, a1 - 1, "a") ||
		         intent_is_punct(p, a1 - 1, "/") || a1 == end + 1)))
			a1++;
		int after_rating = intent_is_w(p, a1, "rating") || intent_is_w(p, a1, "rated") ||
		                   intent_is_w(p, a1, "stars") || intent_is_w(p, a1, "star");
		int after_moq = intent_is_w(p, a1, "moq") || intent_is_w(p, np.e + 1, "moq");
		/* "2.50 each", "3 a piece", "4 per unit", "5/pc": a price per unit */
		int e1 = end + 1;
		/* but "500 each colour" shares out a quantity */
		static const char *const variant[] = {
		        "color",   "colour",   "colors",  "colours",  "design", "designs", "size",
		        "sizes",   "style",    "styles",  "model",    "models", "sku",     "skus",
		        "variant", "variants", "version", "versions", "kind",   "type",    NULL};
		int per_unit = (intent_is_w(p, e1, "each") && !intent_is_in(p, e1 + 1, variant)) ||
		               intent_is_w(p, e1, "apiece") ||
		               ((intent_is_w(p, e1, "a") || intent_is_w(p, e1, "per") ||
		                 intent_is_punct(p, e1, "/")) &&
		                intent_is_in(p, e1 + 1, piece));
		if (founded_year(p, &np)) {
			/* "in business since 2015", "established in 2010": the years
			 * up to now */
			time_t now = time(NULL);
			struct tm tm;
			gmtime_r(&now, &tm);
			np.a = tm.tm_year + 1900 - np.a;
			if (np.a < 0)
				np.a = 0;
			np.range = 0;
			role = N_YEARS;
		} else if (np.has_unit && np.unit == U_TIME) {
			role = N_LEAD;
		} else if (np.has_unit && np.unit == U_YEARS &&
		           (cue == N_LEAD || intent_is_w(p, np.s - 1, "within"))) {
			/* "within 2 years" is a (long) lead time */
			np.factor = 365;
			role = N_LEAD;
		} else if (np.has_unit && np.unit == U_YEARS) {
			/* "2 year warranty", "3 year olds", "kids 3 years old" are not
			 * about the supplier; "5+ year old companies" and "suppliers
			 * at least 5 years old" are */
			if (intent_is_w(p, np.e + 1, "warranty") ||
			    intent_is_w(p, np.e + 1, "guarantee") ||
			    intent_is_w(p, np.e + 1, "olds") || about_buyer(p, np.s) ||
			    (intent_is_w(p, np.e + 1, "old") &&
			     !intent_is_in(p, np.e + 2, INTENT_SUPPLIER_AFTER) &&
			     !supplier_before(p, np.s)))
				role = N_SKIP;
			else
				role = N_YEARS;
		} else if (np.has_unit && np.unit == U_STAR) {
			role = N_RATING;
		} else if (np.cur) {
			role = N_PRICE;
		} else if (cue == N_MOQ || after_moq) {
			role = N_MOQ;
		} else if ((cue == N_RATING || after_rating) && np.a <= 5) {
			role = N_RATING;
		} else if (np.has_unit && np.unit == U_QTY) {
			role = N_QTY;
		} else if (cue == N_PRICE) {
			/* "best price for 5000 paper cups": a count of products */
			role = (intent_is_w(p, np.s - 1, "for") ||
			        intent_is_w(p, np.s - 1, "on")) &&
			                       !np.decimal && np.a >= 1 && cmp == C_NONE &&
			                       is_noun_after(p, a1)
			               ? N_QTY
			               : N_PRICE;
		} else if (cue == N_LEAD) {
			role = N_LEAD;
		} else if (cue == N_YEARS) {
			role = N_YEARS;
		} else if (cue == N_QTY) {
			role = N_QTY;
		} else if (ca == C_MIN && np.a <= 5 && np.decimal) {
			role = N_RATING;
		} else if (cue == N_RATING) {
			role = N_RATING; /* out of range: valid() says so */
		} else if (per_unit) {
			role = N_PRICE;
		} else if (t->kilo && !np.range) {
			role = N_QTY; /* "2k": nobody prices one unit in thousands */
		} else if (nnums == 1 && intent_correction(p) && p->ctx &&
		           field_role(p->ctx->last_number_field) != N_NONE &&
		           (cmp == C_NONE || bounded(p->ctx->last_number_field))) {
			/* "make it 2000", "ok let's say under 4 then": the number
			 * said last is corrected; "under" fits only a bound */
			role = field_role(fitting_field(p, &np, cmp));
		} else if (nnums == 1 && p->ctx && p->ctx->expect != INTENT_EXPECT_NONE &&
		           p->ctx->expect != INTENT_EXPECT_MARKET &&
		           p->ctx->expect != INTENT_EXPECT_COUNTRY) {
			static const enum nrole by_expect[] = {N_NONE, N_QTY,  N_PRICE, N_NONE,
			                                       N_MOQ,  N_LEAD, N_NONE};
			role = by_expect[p->ctx->expect];
			/* "3000" to the budget question is a quantity when it is far
			 * above the prices on offer; "2.50" to the quantity question
			 * is a price */
			double hint = p->ctx->budget_hint > 0 ? p->ctx->budget_hint * 10 : 999;
			if (role == N_PRICE && !np.decimal && cmp == C_NONE && np.a > hint)
				role = N_QTY;
			else if (role == N_QTY && np.decimal)
				role = N_PRICE;
		} else if (cmp != C_NONE) {
			role = N_PRICE;
		} else if (!np.decimal && np.a >= 1 && is_noun_after(p, a1)) {
			role = N_QTY;
		} else if (nnums == 1 && nwords <= 3) {
			/* a bare answer: "500", "make it 3000" */
			role = np.decimal ? N_PRICE : N_QTY;
		}
		/* "500 units, US market; make it 800": a correction later in the
		 * same turn changes the number said before it */
		if (role == N_NONE && last_role != N_NONE && intent_corrects(p, np.s))
			role = last_role;
		if (role == N_NONE) {
			intent_note(p, "I was not sure what %s refers to.", t->w);
			intent_use(p, np.s, np.e - np.s + 1);
			continue;
		}
		if (role != N_SKIP)
			last_role = role;
		if (role == N_PRICE && !per_unit && intent_total_budget(p, &np, end)) {
			intent_use(p, np.s, (end > np.e ? end : np.e) - np.s + 1);
			i = end > np.e ? end : np.e;
			continue;
		}
		set_num(p, role, cmp, &np);
		intent_use(p, np.s, (end > np.e ? end : np.e) - np.s + 1);
		/* "per metre", "/kg": what the price is per goes with it */
		for (int j = (end > np.e ? end : np.e) + 1; role == N_PRICE && j < a1; j++)
			intent_use(p, j, 1);
		if (ca == C_NONE && !np.plus)
			use_cmp(p, cb_at, np.s);
		i = end > np.e ? end : np.e;
	}
}

/* ---- scaling what is there: "double the quantity", "halve the MOQ" ---- */

/* The number field a word names, or FF_COUNT. */
static int scaled_field(const parse *p, int i)
{
	static const char *const qty[] = {"quantity", "qty",   "order",  "orders", "amount",
	                                  "volume",   "units", "pieces", "pcs",    "number",
	                                  "count",    "many",  NULL};
	static const char *const price[] = {"budget", "price", "prices", "cost",
	                                    "much",   "spend", "max",    NULL};
	if (intent_is_in(p, i, qty))
		return FF_QUANTITY;
	if (intent_is_in(p, i, price))
		return FF_PRICE_MAX;
	if (intent_is_w(p, i, "moq") || intent_is_w(p, i, "moqs") || intent_is_w(p, i, "minimum"))
		return FF_MOQ_MAX;
	if (intent_is_w(p, i, "lead") || intent_is_w(p, i, "delivery") ||
	    intent_is_w(p, i, "time") || intent_is_w(p, i, "deadline") ||
	    intent_is_w(p, i, "turnaround"))
		return FF_LEAD_TIME;
	return FF_COUNT;
}

/* "double the quantity", "triple the order", "halve that", "cut the MOQ in
 * half", "twice as many", "half the budget": a factor on a number the state
 * holds. "it"/"that" is the number changed last, or the quantity. Without a
 * following field or pronoun the word is the product's ("double wall
 * tumblers", "half moon pillow"). */
/* Long: the factor table and the one pass that finds the field or pronoun it applies to. */
void intent_find_scale(parse *p)
{
	static const struct {
		const char *w;
		double f;
	} verbs[] = {{"double", 2}, {"doubled", 2},   {"triple", 3},  {"tripled", 3},
	             {"treble", 3}, {"quadruple", 4}, {"halve", 0.5}, {"halved", 0.5},
	             {"half", 0.5}, {"twice", 2},     {"thrice", 3}};
	static const char *const pron[] = {"it", "that", "this", "them", NULL};
	static const char *const det[] = {"the", "my", "our", "that", "this", "as", NULL};
	for (int i = 0; i < p->n; i++) {
		if (p->t[i].used || p->t[i].kind != T_WORD)
			continue;
		double factor = 0;
		for (size_t k = 0; k < sizeof(verbs) / sizeof(*verbs); k++)
			if (!strcmp(p->t[i].w, verbs[k].w))
				factor = verbs[k].f;
		int j = i + 1, field = FF_COUNT;
		/* "cut it in half", "reduce the MOQ by half" */
		if (!factor && (intent_is_w(p, i, "in") || intent_is_w(p, i, "by")) &&
		    intent_is_w(p, i + 1, "half")) {
			factor = 0.5;
			for (int k = i - 1; k >= 0 && k >= i - 4; k--) {
				if (field == FF_COUNT && !p->t[k].used &&
				    (field = scaled_field(p, k)) != FF_COUNT)
					intent_use(p, k, 1);
				if (intent_is_w(p, k, "cut") || intent_is_w(p, k, "reduce") ||
				    intent_is_w(p, k, "slash"))
					intent_use(p, k, 1);
			}
			j = i + 2;
			if (field == FF_COUNT && i > 0 && intent_is_in(p, i - 1, pron))
				field = -1;
			if (field == FF_COUNT)
				continue;
			intent_use(p, i, 2);
		} else if (factor) {
			while (intent_is_in(p, j, det) &&
			       !(intent_is_in(p, j, pron) && !intent_is_in(p, j + 1, pron) &&
			         scaled_field(p, j + 1) == FF_COUNT))
				j++;
			if (intent_is_in(p, j, pron))
				field = -1;
			else if ((field = scaled_field(p, j)) == FF_COUNT)
				continue;
			intent_use(p, i, j - i + 1);
			/* "the lead time", "the order quantity" */
			while (j + 1 < p->n && scaled_field(p, j + 1) != FF_COUNT)
				intent_use(p, ++j, 1);
		} else {
			continue;
		}
		if (field < 0)
			field = p->ctx && p->ctx->last_number_field != FF_COUNT
			                ? p->ctx->last_number_field
			                : FF_QUANTITY;
		const souk_filter *st = p->ctx ? p->ctx->state : NULL;
		/* ratings and years in business are not scaled */
		double now = !st || field == FF_MIN_RATING || field == FF_MIN_YEARS
		                     ? -1
		                     : filter_number(st, field);
		const char *what = field == FF_QUANTITY    ? "quantity"
		                   : field == FF_MOQ_MAX   ? "MOQ"
		                   : field == FF_LEAD_TIME ? "lead time"
		                                           : "price limit";
		if (now < 0) {
			intent_note(p,
			            "There is no %s yet to change by a factor; tell me the number.",
			            what);
			continue;
		}
		double v = now * factor;
		switch (field) {
		case FF_QUANTITY:
			p->qty = round(v);
			break;
		case FF_PRICE_MIN:
			p->pmin = v;
			p->price_said = 1;
			break;
		case FF_PRICE_MAX:
			p->pmax = v;
			p->price_said = 1;
			break;
		case FF_MOQ_MAX:
			p->moq = round(v);
			break;
		case FF_LEAD_TIME:
			p->lead = round(v);
			break;
		default:
			break;
		}
	}
}
