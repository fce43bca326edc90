/* intent_place: places in a turn: countries, regions, cities (the gazetteer) and their roles. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "intent_int.h"
#include "money.h"

/* ---- countries ---- */

static const char *const MARKET_AFTER[] = {
        "retailer",  "shop",     "importer", "importers", "e-commerce", "ecommerce",
        "consumer",  "customer", "market",   "markets",   "customers",  "buyers",
        "consumers", "shoppers", "clients",  "retail",    "store",      "stores",
        "retailers", "sellers",  "audience", NULL};
const char *const INTENT_SUPPLIER_AFTER[] = {
        "suppliers", "supplier",  "factories", "factory",   "manufacturers", "manufacturer",
        "vendors",   "vendor",    "makers",    "companies", "company",       "origin",
        "made",      "producers", "mills",     "based",     "sellers",       "exporters",
        "sources",   "brands",    NULL};

/* A country mention at i: its index, adjective flag and length, or -1. */
int intent_country_at(const parse *p, int i, int *adj, int *len)
{
	const tok *t = &p->t[i];
	if (t->kind != T_WORD)
		return -1;
	int v = intent_phrase_at(p, i, &p->v->country, p->v->country_words, 1, len);
	if (v >= 0) {
		char w[WORD_MAX];
		intent_undot(t->w, w, sizeof(w));
		/* "us" is a pronoun unless written "US", "U.S.", after "the" or
		 * alone (an answer) */
		if (*len == 1 && !strcmp(w, "us") && !t->caps && !strchr(t->w, '.') &&
		    !intent_is_w(p, i - 1, "the") && !intent_is_w(p, i - 1, "amazon") &&
		    !intent_is_w(p, i + 1, "market") && p->n > 1)
			return -1;
		*adj = v & 1;
		return v / 2;
	}
	/* ISO codes in capitals ("from VN"), except words that read as English */
	static const char *const not_codes[] = {
	        "it", "in", "id", "no", "or", "at", "be", "is", "to", "me", "my", "am",
	        "an", "as", "do", "go", "hi", "if", "of", "on", "so", "up", "we", "ce",
	        "ul", "cb", "gs", "kc", "pa", "la", "ok", "tv", "pc", "us", NULL};
	if (t->caps && strlen(t->w) == 2 && !intent_in_list(t->w, not_codes)) {
		for (int k = 0; k < p->v->ncountries; k++) {
			if (!strcasecmp(p->v->countries[k].code, t->w)) {
				*adj = 0;
				*len = 1;
				return k;
			}
		}
	}
	return -1;
}

/* Skips conjunctions and further country names after a mention, so
 * "Chinese or Vietnamese suppliers" reads "suppliers" for both. */
static int after_list(const parse *p, int e)
{
	int j = e;
	while (j < p->n && j < e + 10) {
		int adj, len;
		if (intent_is_w(p, j, "or") || intent_is_w(p, j, "and") ||
		    intent_is_punct(p, j, ",") || intent_is_punct(p, j, "/") ||
		    intent_is_w(p, j, "the") || intent_is_w(p, j, "'s")) {
			j++;
		} else if (intent_country_at(p, j, &adj, &len) >= 0) {
			j += len;
		} else {
			break;
		}
	}
	return j;
}

int intent_wclass_of(const parse *p, int i)
{
	if (i < 0 || i >= p->n || p->t[i].kind != T_WORD)
		return WC_NONE;
	int c = smap_get(&p->v->wclass, p->t[i].w);
	return c < 0 ? WC_NONE : c;
}

/* "our three gift shops", "a small skincare brand": the words that
 * describe the buyer's own business, back from its noun at j to a
 * determiner, are neither product words nor a quantity. */
static void use_business(parse *p, int j)
{
	static const char *const det[] = {"our", "my",   "a",   "an",  "the",  "we",
	                                  "i",   "have", "own", "run", "with", NULL};
	int k = j;
	while (k >= 0 && intent_same_clause(p, k, j) && !intent_is_in(p, k, det) && j - k < 5)
		k--;
	intent_use(p, k + 1, j - k);
}

/* Prepositions of being somewhere: "our shop in Lyon", "stores across
 * Bavaria", "craft fairs around Manchester". */
static const char *const AT_PLACE[] = {"in", "around", "across", "near", "throughout", NULL};

/* Where the buyer is, from the words before a place at s: a buyer's
 * business before the preposition ("my bakery in Porto", "Etsy seller in
 * Ohio") is the buyer's home; someone else ("my friend in Germany") makes
 * the place no filter; "I'm in Kraków", "we're from Dublin" are home too. */
static enum role home_role(parse *p, int s)
{
	static const char *const me[] = {"i'm", "im", "we're", "were", "i", "we", "am", NULL};
	static const char *const here[] = {"here", "based", "located", NULL};
	int b1 = intent_back(p, s, 1);
	if (intent_is_w(p, b1, "from") && intent_is_in(p, intent_back(p, s, 2), me))
		return R_HOME;
	if (!intent_is_in(p, b1, AT_PLACE))
		return R_NONE;
	for (int k = 2; k <= 4; k++) {
		int j = intent_back(p, s, k);
		if (j < 0)
			break;
		int c = intent_wclass_of(p, j);
		if (k == 2 && (intent_is_in(p, j, me) || intent_is_in(p, j, here)))
			return R_HOME;
		if (c == WC_PERSON)
			return R_SKIP;
		if (c == WC_BUYER) {
			use_business(p, j);
			return R_HOME;
		}
		if (intent_in_list(p->t[j].w, INTENT_SUPPLIER_AFTER) || intent_is_w(p, j, "from"))
			return R_NONE;
	}
	return R_NONE;
}

/* "not Nepal after all", "I meant Vietnam, not Thailand", "sorry, EU not
 * UK": a "not" (at neg) before a country the conversation already lists
 * takes it back out of its list instead of excluding it. */
static int taken_back(const parse *p, int s, int e, int neg)
{
	/* "not from China" says where not to buy: an exclusion */
	if ((!intent_is_w(p, neg, "not") && !intent_is_w(p, neg, "no")) ||
	    neg != intent_back(p, s, 1))
		return 0;
	const souk_filter *st = p->ctx ? p->ctx->state : NULL;
	if (!st)
		return 0;
	char code[8] = "";
	int adj, len, k = intent_country_at(p, s, &adj, &len);
	if (k >= 0)
		snprintf(code, sizeof(code), "%s", p->v->countries[k].code);
	int listed = strlist_has(&st->supplier_countries, code) ||
	             (st->market && !strcmp(st->market, code));
	int after_all = intent_is_w(p, e, "after") && intent_is_w(p, e + 1, "all");
	return listed && (after_all || intent_correction(p));
}

/* A word that can be part of a product's name: not a function or filter
 * word, not a place, not a certification, not the buyer's business. */
static int product_word(const parse *p, int i)
{
	if (i < 0 || i >= p->n || p->t[i].kind != T_WORD || p->t[i].used)
		return 0;
	const char *w = p->t[i].w;
	int adj, len;
	if (smap_get(&p->v->stop, w) >= 0 || intent_in_list(w, MARKET_AFTER) ||
	    intent_in_list(w, INTENT_SUPPLIER_AFTER) || smap_get(&p->v->cert, w) >= 0 ||
	    intent_country_at(p, i, &adj, &len) >= 0)
		return 0;
	int c = intent_wclass_of(p, i);
	return c != WC_BUYER && c != WC_PERSON;
}

/* Joins tokens [i, i + k) into one product term ("french terry"). */
static void merge_words(parse *p, int i, int k)
{
	char w[WORD_MAX] = "";
	for (int j = i; j < i + k; j++) {
		if (j > i)
			strncat(w, " ", sizeof(w) - strlen(w) - 1);
		strncat(w, p->t[j].w, sizeof(w) - strlen(w) - 1);
	}
	snprintf(p->t[i].w, WORD_MAX, "%s", w);
	p->t[i].kind = T_WORD;
	tok_drop(p, i + 1, k - 1);
}

/* Whether the country mention [i, e) names a kind of product rather than
 * a place: a nationality adjective right before a product noun ("Dutch
 * ovens", "Swedish dishcloths", "Thai fisherman pants"), unless the noun
 * phrase ends in a word for a market or a supplier ("the Dutch market",
 * "an Aussie surf shop", "German kitchen factories"); a country's name
 * used as a noun before a product noun, with nothing before it that makes
 * it a place ("Panama hats", "bone china teacups", "turkey fryer"). */
static int names_product(const parse *p, int i, int e, int adj)
{
	if (!product_word(p, e))
		return 0;
	int k = e;
	/* "waffle makers", "ice makers": after a product word, a maker is one */
	while (k < e + 3 && (product_word(p, k) || (k > e && (intent_is_w(p, k, "maker") ||
	                                                      intent_is_w(p, k, "makers")))))
		k++;
	if (intent_is_in(p, k, MARKET_AFTER) || intent_is_in(p, k, INTENT_SUPPLIER_AFTER) ||
	    intent_wclass_of(p, k) == WC_BUYER || intent_is_in(p, k, AT_PLACE))
		return 0;
	if (adj)
		return 1;
	int b = i - 1;
	return e - i == 1 && (b < 0 || !intent_same_clause(p, b, i) || product_word(p, b));
}

/* Product names that hold a place or filter word: the compounds table
 * first, then names_product; each becomes one keyword token. */
void intent_find_compounds(parse *p)
{
	for (int i = 0; i < p->n; i++) {
		int len, adj;
		if (p->t[i].kind != T_WORD || p->t[i].gone)
			continue;
		/* "BPA free": the claim as one word, "bpa-free" */
		if (intent_is_w(p, i + 1, "free") && !p->t[i + 1].gone) {
			char w[2 * WORD_MAX + 8];
			snprintf(w, sizeof(w), "%s free", p->t[i].w);
			if (smap_get(&p->v->cert, w) >= 0) {
				snprintf(w, sizeof(w), "%s-free", p->t[i].w);
				tok_set(&p->t[i], w,
				        strlen(w) < WORD_MAX ? strlen(w) : WORD_MAX - 1);
				tok_drop(p, i + 1, 1);
				i++;
				continue;
			}
		}
		if (intent_phrase_at(p, i, &p->v->compound, p->v->compound_words, 0, &len) >= 0 &&
		    len > 1) {
			tok head = p->t[i + len - 1];
			int keep = product_word(p, i + len - 1);
			merge_words(p, i, len);
			if (keep) /* "panama hat" and "hat"; "bone china" alone */
				p->t[i + len - 1] = head;
			i += len - 1;
			continue;
		}
		if (intent_country_at(p, i, &adj, &len) >= 0 && names_product(p, i, i + len, adj)) {
			/* "panama hat", and "hat" on its own too */
			tok head = p->t[i + len];
			merge_words(p, i, len + 1);
			p->t[i + len] = head;
			i += len;
		}
	}
	tok_compact(p);
}

/* "also", "too", "as well", "plus" anywhere in the place's clause: one
 * more, not a new list ("also suppliers in Thailand", "suppliers in
 * Thailand too"). */
static int clause_adds(const parse *p, int s)
{
	static const char *const more[] = {"also", "too", "plus", "additionally", NULL};
	for (int k = 0; k < p->n; k++) {
		if (!intent_same_clause(p, k, s) || k == s)
			continue;
		if (intent_is_in(p, k, more) ||
		    (intent_is_w(p, k, "as") && intent_is_w(p, k + 1, "well")))
			return 1;
	}
	return 0;
}

static enum role country_role_of(parse *p, int s, int e, int adj, int region, int prev_end,
                                 enum role prev_role);

/* "we're an Aussie surf shop", "I run a German bakery": a nationality
 * before the buyer's own business says where the buyer is, so where it
 * sells; the business word is spent with it. */
static int own_business(parse *p, int s, int e)
{
	static const char *const me[] = {"we're", "were", "i'm", "im",  "our", "my",
	                                 "run",   "own",  "am",  "are", NULL};
	int said = 0;
	for (int k = 1; k <= 3 && !said; k++)
		said = intent_is_in(p, intent_back(p, s, k), me);
	if (!said)
		return 0;
	for (int j = e; j < p->n && j < e + 3 && intent_same_clause(p, j, s); j++)
		if (intent_wclass_of(p, j) == WC_BUYER) {
			use_business(p, j);
			return 1;
		}
	return 0;
}

static enum role country_role(parse *p, int s, int e, int adj, int region, int prev_end,
                              enum role prev_role)
{
	enum role r = country_role_of(p, s, e, adj, region, prev_end, prev_role);

	if (adj && own_business(p, s, e))
		return R_HOME;
	return r == R_SUP && clause_adds(p, s) ? R_ADD : r;
}

/* Long: the cues of a place's role in precedence order; the first that matches wins, so they stay
 * together. */
static enum role country_role_of(parse *p, int s, int e, int adj, int region, int prev_end,
                                 enum role prev_role)
{
	static const char *const exc[] = {"not",       "no",      "avoid",   "avoiding", "exclude",
	                                  "excluding", "except",  "without", "outside",  "don't",
	                                  "dont",      "never",   "non",     "nor",      "ban",
	                                  "besides",   "nothing", "none",    "excl",     "nowhere",
	                                  "skip",      NULL};
	static const char *const mkt_prep[] = {"for", "to", "into", "amazon", "destination", NULL};
	static const char *const sell[] = {
	        "sell",   "selling", "sold",      "sale",       "retail",    "launch", "launching",
	        "market", "import",  "importing", "distribute", "customers", "buyers", "shipping",
	        "ship",   "deliver", "delivery",  "export",     "exporting", NULL};
	static const char *const sup_prep[] = {"from",         "in",       "made",
	                                       "based",        "located",  "sourced",
	                                       "manufactured", "produced", NULL};
	static const char *const change[] = {"change",  "switch",  "swap", "replace",
	                                     "make",    "move",    "that", "it",
	                                     "instead", "changed", NULL};
	static const char *const add[] = {"also",      "add", "plus", "include",
	                                  "including", "and", NULL};
	static const char *const buyer[] = {"we", "i",       "we're",    "i'm",   "are",  "am",
	                                    "im", "company", "business", "store", "shop", NULL};
	static const char *const del[] = {"drop",  "remove", "forget", "delete",
	                                  "minus", "lose",   "scrap",  NULL};
	int b1 = intent_back(p, s, 1);

	/* "anything but China" excludes it, "nothing but Vietnam" keeps only it */
	if (intent_is_w(p, b1, "but") && intent_is_in(p, intent_back(p, s, 2), INTENT_BUT_EXCEPT))
		return R_EXC;
	if (intent_is_w(p, b1, "but") && intent_is_in(p, intent_back(p, s, 2), INTENT_BUT_ONLY))
		return R_SUP;
	/* "other than China", "apart from India", "other than from China" */
	int o = intent_is_w(p, b1, "from") && intent_is_w(p, intent_back(p, s, 2), "than") ? 1 : 0;
	if ((intent_is_w(p, intent_back(p, s, 1 + o), "than") &&
	     intent_is_w(p, intent_back(p, s, 2 + o), "other")) ||
	    (intent_is_w(p, b1, "from") && intent_is_w(p, intent_back(p, s, 2), "apart")))
		return R_EXC;
	/* "swap India for Nepal", "replace China with Vietnam": the first goes,
	 * the second comes into the same list */
	static const char *const swap[] = {"swap",  "replace",  "substitute", "switch", "exchange",
	                                   "trade", "swapping", "replacing",  NULL};
	if (intent_is_in(p, b1, swap) &&
	    (intent_is_w(p, e, "for") || intent_is_w(p, e, "with") || intent_is_w(p, e, "by")))
		return R_DEL;
	if ((intent_is_w(p, b1, "for") || intent_is_w(p, b1, "with") || intent_is_w(p, b1, "by")) &&
	    intent_back(p, s, 2) >= 0 && p->t[intent_back(p, s, 2)].country &&
	    intent_is_in(p, intent_back(p, s, 3), swap))
		return R_ADD;
	/* "add in Nepal", "also from Turkey": adding, whatever the preposition */
	static const char *const more[] = {"add", "also", "plus", "include", "including", NULL};
	if ((intent_is_w(p, b1, "in") || intent_is_w(p, b1, "from")) &&
	    intent_is_in(p, intent_back(p, s, 2), more))
		return R_ADD;
	/* "drop Vietnam", "take out India": out of whichever list it is in */
	for (int k = 1; k <= 2; k++)
		if (intent_is_in(p, intent_back(p, s, k), del) ||
		    ((intent_is_w(p, intent_back(p, s, k), "out") ||
		      intent_is_w(p, intent_back(p, s, k), "off")) &&
		     intent_is_w(p, intent_back(p, s, k + 1), "take")))
			return R_DEL;
	/* a negation shortly before wins: "not from China", "no Chinese suppliers";
	 * pronouns and verbs of getting do not count toward the distance ("I don't
	 * want them from China") */
	static const char *const thin[] = {"them", "it",     "those", "these", "any",
	                                   "want", "need",   "buy",   "get",   "ones",
	                                   "made", "coming", "come",  "to",    NULL};
	for (int k = 1, words = 0; k <= 6 && words < 3; k++) {
		int j = intent_back(p, s, k);
		if (j < 0 || p->t[j].kind == T_NUM)
			break;
		if (intent_is_in(p, j, exc))
			return taken_back(p, s, e, j) ? R_DEL : R_EXC;
		if (!intent_is_in(p, j, thin))
			words++;
	}
	if (b1 >= 0) {
		enum role home = home_role(p, s);
		if (home != R_NONE)
			return home;
		if (intent_is_w(p, b1, "to") && intent_is_in(p, intent_back(p, s, 2), change))
			return R_LAST;
		/* "selling pickleball paddles in Germany" */
		for (int k = 2; intent_is_w(p, b1, "in") && k <= 6; k++)
			if (intent_is_in(p, intent_back(p, s, k), sell) &&
			    !intent_is_w(p, intent_back(p, s, k), "market"))
				return R_MKT;
		/* "we are based in Germany": the buyer's home is the market */
		if (intent_is_w(p, b1, "in") && intent_is_w(p, intent_back(p, s, 2), "based") &&
		    (intent_is_in(p, intent_back(p, s, 3), buyer) ||
		     intent_wclass_of(p, intent_back(p, s, 3)) == WC_BUYER))
			return R_HOME;
		if (intent_is_w(p, b1, "in") && intent_is_in(p, intent_back(p, s, 2), MARKET_AFTER))
			return R_MKT;
		if (intent_is_in(p, b1, mkt_prep))
			return R_MKT;
		if (intent_is_in(p, b1, sup_prep))
			return R_SUP;
	}
	int j = after_list(p, e);
	if (intent_is_in(p, j, MARKET_AFTER))
		return R_MKT;
	if (intent_is_in(p, j, INTENT_SUPPLIER_AFTER))
		return R_SUP;
	/* "Turkey only", "China is fine", "Cambodia instead" */
	if (intent_is_w(p, j, "only"))
		return R_SUP;
	/* "Czechia is fine as well", "Peru works too": one more */
	for (int k = j; k < j + 5 && k < p->n && intent_same_clause(p, k, s); k++)
		if (intent_is_w(p, k, "too") ||
		    (intent_is_w(p, k, "as") && intent_is_w(p, k + 1, "well")))
			return R_ADD;
	if ((intent_is_w(p, j, "is") || intent_is_w(p, j, "are")) &&
	    (intent_is_w(p, j + 1, "fine") || intent_is_w(p, j + 1, "ok") ||
	     intent_is_w(p, j + 1, "okay") || intent_is_w(p, j + 1, "allowed") ||
	     intent_is_w(p, j + 1, "acceptable")))
		return R_UNEXC;
	if (intent_is_w(p, j, "ok") || intent_is_w(p, j, "okay") || intent_is_w(p, j, "allowed") ||
	    intent_is_w(p, j, "fine"))
		return R_UNEXC;
	if (intent_is_w(p, j, "excluded") || intent_is_w(p, j, "banned"))
		return R_EXC;
	/* "China is a no-go", "China is out", "China is not ok" */
	static const char *const nogo[] = {"no-go",  "nogo",        "out",          "excluded",
	                                   "banned", "dealbreaker", "deal-breaker", "forbidden",
	                                   "not",    NULL};
	if ((intent_is_w(p, j, "is") || intent_is_w(p, j, "are")) &&
	    (intent_is_in(p, j + 1, nogo) ||
	     (intent_is_w(p, j + 1, "a") && intent_is_in(p, j + 2, nogo))))
		return R_EXC;
	if (intent_is_w(p, j - 1, "'s") &&
	    (intent_is_in(p, j, nogo) || (intent_is_w(p, j, "a") && intent_is_in(p, j + 1, nogo))))
		return R_EXC; /* "China's out" */
	if (intent_is_w(p, j, "instead"))
		return R_LAST;
	/* a list continues the role of its head: "from Vietnam, India or Thailand" */
	if (prev_end >= 0 && prev_role != R_NONE) {
		int cont = 1;
		for (int k = prev_end; k < s && cont; k++)
			if (!(intent_is_w(p, k, "and") || intent_is_w(p, k, "or") ||
			      intent_is_punct(p, k, ",") || intent_is_punct(p, k, "/") ||
			      intent_is_punct(p, k, "&") || intent_is_w(p, k, "nor") ||
			      intent_is_w(p, k, "the")))
				cont = 0;
		if (cont)
			return prev_role;
	}
	if (intent_is_in(p, b1, add) || intent_is_w(p, j, "too") ||
	    (intent_is_w(p, j, "as") && intent_is_w(p, j + 1, "well")))
		return R_ADD;
	if (b1 >= 0 && intent_is_w(p, b1, "only"))
		return R_SUP;
	if (adj)
		return R_SUP;
	/* "actually make that Portugal" corrects the last country said, even
	 * while a question about the market is open */
	int last = p->ctx && p->ctx->last_country_field != FF_COUNT;
	if (last && intent_correction(p))
		return R_LAST;
	if (p->ctx && p->ctx->expect == INTENT_EXPECT_MARKET)
		return R_MKT;
	if (p->ctx && p->ctx->expect == INTENT_EXPECT_COUNTRY)
		return R_SUP;
	/* A bare country ("the US", "Germany") is where the goods go: supplier
	 * countries come with "from", "made in" or "suppliers". A list of bare
	 * countries or a region cannot be one market. */
	int list = prev_end >= 0 && s - prev_end <= 2;
	for (int k = e; k < j && !list; k++) {
		int a2, l2;
		list = intent_country_at(p, k, &a2, &l2) >= 0;
	}
	if (!list && !region)
		return R_MKT;
	if (last)
		return R_LAST;
	return R_SUP;
}

static int role_field(const parse *p, enum role r)
{
	switch (r) {
	case R_HOME:
	case R_MKT:
		return FF_MARKET;
	case R_EXC:
		return FF_EXCLUDE_COUNTRIES;
	case R_LAST:
	case R_ADD: {
		/* a market is one place: "also X" adds to a list, never replaces it */
		int f = p->last_cfield != FF_COUNT ? p->last_cfield
		        : p->ctx && p->ctx->last_country_field != FF_COUNT
		                ? p->ctx->last_country_field
		                : FF_SUPPLIER_COUNTRIES;
		return r == R_ADD && f == FF_MARKET ? FF_SUPPLIER_COUNTRIES : f;
	}
	default:
		return FF_SUPPLIER_COUNTRIES;
	}
}

static void country_action(parse *p, const char *code, enum role r, int field);

/* A city or first-level region of the gazetteer at i ("Lyon", "British
 * Columbia", "Ho Chi Minh City"): *len words; the ISO code of its
 * country, or NULL. A place is read only after a preposition of place or
 * in a list of places, and a one-word name that is also an ordinary word
 * ("Nice", "Split", "Mobile") only when written with a capital and the
 * catalog does not use it as a product word in lower case. */
/* "Auckland and Wellington": i follows the place that ended at prev_end,
 * with only a conjunction or comma between. */
static int place_listed(const parse *p, int i, int prev_end)
{
	if (prev_end < 0 || i <= prev_end || i - prev_end > 2)
		return 0;
	for (int k = prev_end; k < i; k++)
		if (!intent_is_w(p, k, "and") && !intent_is_w(p, k, "or") &&
		    !intent_is_punct(p, k, ",") && !intent_is_punct(p, k, "&"))
			return 0;
	return i > prev_end && prev_end < i;
}

static const char *place_at(const parse *p, int i, int *len, int prev_place_end)
{
	static const char *const cue[] = {"in", "around", "across", "near", "throughout", "from",
	                                  "to", "for",    "based",  "at",   NULL};
	if (p->t[i].kind != T_WORD || p->t[i].used)
		return NULL;
	int b1 = intent_back(p, i, 1);
	if (!intent_is_in(p, b1, cue) && !place_listed(p, i, prev_place_end))
		return NULL;
	const char *codes = intent_gazetteer_at(p, i, len);
	if (!codes)
		return NULL;
	const tok *t = &p->t[i];
	if (*len == 1 &&
	    (smap_get(&p->v->stop, t->w) >= 0 ||
	     (!t->cap1 && p->ctx && p->ctx->catalog && vocab_docs(p->ctx->catalog, t->w) > 0) ||
	     (!t->cap1 && smap_get(&p->v->wclass, t->w) >= 0)))
		return NULL;
	return codes;
}

/* The first of a place's countries that the turn's currency or the
 * conversation's market points to, else the gazetteer's preferred one. */
static void place_code(const parse *p, const char *codes, char out[3])
{
	const char *market = p->market[0]              ? p->market
	                     : p->ctx && p->ctx->state ? p->ctx->state->market
	                                               : NULL;
	for (const char *c = codes; market && *c; c += c[2] ? 3 : 2)
		if (!strncmp(c, market, 2)) {
			memcpy(out, c, 2);
			out[2] = 0;
			return;
		}
	memcpy(out, codes, 2);
	out[2] = 0;
}

static enum role place_role(parse *p, int s, enum role prev_role, int listed)
{
	enum role r = home_role(p, s);
	if (r != R_NONE)
		return r;
	int b1 = intent_back(p, s, 1);
	if (listed && prev_role != R_NONE)
		return prev_role;
	for (int k = 1; k <= 3; k++) {
		int j = intent_back(p, s, k);
		if (j >= 0 && (intent_in_list(p->t[j].w, INTENT_SUPPLIER_AFTER) ||
		               intent_is_w(p, j, "produced") || intent_is_w(p, j, "sourced") ||
		               intent_is_w(p, j, "manufactured")))
			return R_SUP;
	}
	if (intent_is_w(p, b1, "from"))
		return R_SUP;
	if (intent_is_w(p, b1, "to") || intent_is_w(p, b1, "for"))
		return R_MKT;
	return R_HOME;
}

/* "Amazon.co.uk", "amazon.de", "etsy.fr": a shop's domain names the
 * market by its country's top-level domain (uk is GB's). */
static int domain_market(parse *p, int i)
{
	const char *w = p->t[i].w, *dot = strrchr(w, '.');
	if (!dot || dot == w || strlen(dot + 1) != 2 || !isalpha((unsigned char)dot[1]) ||
	    !isalpha((unsigned char)dot[2]))
		return 0;
	char code[3] = {(char)toupper((unsigned char)dot[1]), (char)toupper((unsigned char)dot[2]),
	                0};
	if (!strcmp(code, "UK"))
		strcpy(code, "GB");
	for (int k = 0; k < p->v->ncountries; k++)
		if (!strcmp(p->v->countries[k].code, code)) {
			snprintf(p->market, sizeof(p->market), "%s", code);
			p->market_weight = 2;
			intent_use(p, i, 1);
			return 1;
		}
	return 0;
}

static void country_action(parse *p, const char *code, enum role r, int field);

/* Places below the country: cities and regions of the gazetteer. */
static int find_place(parse *p, int i, int *prev_end, enum role *prev_role)
{
	int len;
	const char *codes = place_at(p, i, &len, *prev_end);
	if (!codes)
		return 0;
	char code[3];
	place_code(p, codes, code);
	enum role r = place_role(p, i, *prev_role, place_listed(p, i, *prev_end));
	if (r != R_SKIP)
		country_action(p, code, r, role_field(p, r));
	if (r != R_SKIP && r != R_UNEXC && r != R_DEL)
		p->last_cfield = role_field(p, r);
	intent_use(p, i, len);
	for (int k = i; k < i + len; k++)
		p->t[k].country = 1;
	*prev_end = i + len;
	*prev_role = r;
	return len;
}

/* Long: one pass over places; the role of one carries to the next in a list. */
void intent_find_countries(parse *p)
{
	int prev_end = -1;
	enum role prev_role = R_NONE;
	for (int i = 0; i < p->n; i++) {
		if (p->t[i].used)
			continue;
		int adj = 0, len = 1, idx;
		int non = 0;
		idx = intent_country_at(p, i, &adj, &len);
		int plen;
		if (idx >= 0 && place_at(p, i, &plen, prev_end) && plen > len)
			idx = -1; /* "British Columbia" is no British place */
		if (idx < 0 && !strncmp(p->t[i].w, "non-", 4)) {
			const char *c = intent_country_code(p->v, p->t[i].w + 4);
			for (int k = 0; c && k < p->v->ncountries; k++)
				if (!strcmp(p->v->countries[k].code, c))
					idx = k;
			non = idx >= 0;
			adj = 1;
		}
		/* "China-free", like "BPA-free": without it */
		size_t wl = strlen(p->t[i].w);
		if (idx < 0 && wl > 5 && !strcmp(p->t[i].w + wl - 5, "-free")) {
			char name[WORD_MAX];
			snprintf(name, sizeof(name), "%.*s", (int)(wl - 5), p->t[i].w);
			const char *c = intent_country_code(p->v, name);
			for (int k = 0; c && k < p->v->ncountries; k++)
				if (!strcmp(p->v->countries[k].code, c))
					idx = k;
			non = idx >= 0;
			adj = 1;
		}
		if (idx < 0 && !non) {
			int pl = find_place(p, i, &prev_end, &prev_role);
			if (pl)
				i += pl - 1;
			else
				domain_market(p, i);
			continue;
		}
		const country *cn = &p->v->countries[idx];
		enum role r = non ? R_EXC
		                  : country_role(p, i, i + len, adj, cn->members.n > 0, prev_end,
		                                 prev_role);
		if (r == R_SKIP) {
			intent_use(p, i, len);
			prev_end = i + len;
			prev_role = r;
			i += len - 1;
			continue;
		}
		int field = role_field(p, r);
		/* "take out India": the verb is spent ("take" alone may be a product's) */
		if (r == R_DEL && intent_is_w(p, intent_back(p, i, 2), "take"))
			intent_use(p, intent_back(p, i, 2), 1);
		/* a region, or the EU as a place to buy from, is its member countries */
		strlist codes = {0};
		if (cn->members.n) {
			strlist_copy(&codes, &cn->members);
			if (field == FF_MARKET) {
				intent_note(
				        p,
				        "A market is one country or the EU, so I did not set %s as "
				        "the market.",
				        cn->name);
				strlist_clear(&codes);
			}
		} else if (!strcmp(cn->code, "EU") && field != FF_MARKET) {
			for (int k = 0; k < p->v->ncountries; k++)
				if (p->v->countries[k].eu)
					strlist_add(&codes, p->v->countries[k].code);
		} else {
			strlist_add(&codes, cn->code);
		}
		for (int ci = 0; ci < codes.n; ci++)
			country_action(p, codes.v[ci], r, field);
		strlist_clear(&codes);
		if (r == R_UNEXC || r == R_DEL)
			field = FF_EXCLUDE_COUNTRIES;
		if (r != R_UNEXC && r != R_DEL)
			p->last_cfield = field;
		p->r->country_field = p->last_cfield;
		intent_use(p, i, len);
		for (int k = i; k < i + len; k++)
			p->t[k].country = 1;
		/* "the German market", "Chinese suppliers": the cue word is spent too */
		int j = after_list(p, i + len);
		if (intent_is_in(p, j, MARKET_AFTER) && field == FF_MARKET)
			intent_use(p, j, 1);
		prev_end = i + len;
		prev_role = r == R_ADD || r == R_LAST ? (field == FF_MARKET              ? R_MKT
		                                         : field == FF_EXCLUDE_COUNTRIES ? R_EXC
		                                                                         : R_SUP)
		                                      : r;
		i += len - 1;
	}
}

static void country_action(parse *p, const char *code, enum role r, int field)
{
	{
		if (r == R_UNEXC || r == R_DEL) {
			strlist_add(&p->unexc, code);
			if (r == R_DEL)
				strlist_add(&p->sup_del, code);
		} else if (field == FF_MARKET) {
			int w = r == R_HOME ? 1 : 2;
			if (w >= p->market_weight) {
				snprintf(p->market, sizeof(p->market), "%s", code);
				p->market_weight = w;
			}
		} else if (field == FF_EXCLUDE_COUNTRIES) {
			strlist_add(&p->exc, code);
			strlist_remove(&p->sup, code);
			if (r == R_LAST)
				p->exc_replace = 1;
		} else {
			strlist_add(&p->sup, code);
			strlist_remove(&p->exc, code);
			p->sup_said = 1;
			if (r == R_ADD)
				p->sup_additive = 1;
		}
	}
}
