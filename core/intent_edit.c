/* intent_edit: list edits and corrections: dropped keywords, cleared fields, questions. */
#include <string.h>

#include "intent_int.h"

const char *const INTENT_FIELD_WORDS[] = {"price",         "prices",
                                          "budget",        "cost",
                                          "moq",           "moqs",
                                          "lead",          "deadline",
                                          "delivery",      "timing",
                                          "timeline",      "time",
                                          "quantity",      "qty",
                                          "volume",        "amount",
                                          "country",       "countries",
                                          "origin",        "location",
                                          "region",        "market",
                                          "markets",       "destination",
                                          "certification", "certifications",
                                          "certs",         "cert",
                                          "certificates",  "certificate",
                                          "compliance",    "rating",
                                          "ratings",       "stars",
                                          "reviews",       "years",
                                          "experience",    "verified",
                                          "verification",  "samples",
                                          "sample",        "customization",
                                          "customisation", "logo",
                                          "branding",      "custom",
                                          "manufacturer",  "manufacturers",
                                          "factory",       "factories",
                                          "trading",       "traders",
                                          "incoterm",      "incoterms",
                                          "currency",      "minimum",
                                          "filters",       "filter",
                                          "everything",    "rush",
                                          "supplier",      "suppliers",
                                          "type",          NULL};

static unsigned field_bits(const parse *p, int i)
{
	const char *w = p->t[i].w;
#define B(f) (1u << (f))
	static const struct {
		const char *w;
		unsigned bits;
	} words[] = {
	        {"price", B(FF_PRICE_MIN) | B(FF_PRICE_MAX)},
	        {"prices", B(FF_PRICE_MIN) | B(FF_PRICE_MAX)},
	        {"budget", B(FF_PRICE_MIN) | B(FF_PRICE_MAX)},
	        {"cost", B(FF_PRICE_MIN) | B(FF_PRICE_MAX)},
	        {"moq", B(FF_MOQ_MAX)},
	        {"moqs", B(FF_MOQ_MAX)},
	        {"minimum", B(FF_MOQ_MAX)},
	        {"lead", B(FF_LEAD_TIME)},
	        {"deadline", B(FF_LEAD_TIME)},
	        {"delivery", B(FF_LEAD_TIME)},
	        {"timing", B(FF_LEAD_TIME)},
	        {"timeline", B(FF_LEAD_TIME)},
	        {"time", B(FF_LEAD_TIME)},
	        {"rush", B(FF_LEAD_TIME)},
	        {"quantity", B(FF_QUANTITY)},
	        {"qty", B(FF_QUANTITY)},
	        {"volume", B(FF_QUANTITY)},
	        {"amount", B(FF_QUANTITY)},
	        {"country", B(FF_SUPPLIER_COUNTRIES) | B(FF_EXCLUDE_COUNTRIES)},
	        {"countries", B(FF_SUPPLIER_COUNTRIES) | B(FF_EXCLUDE_COUNTRIES)},
	        {"origin", B(FF_SUPPLIER_COUNTRIES) | B(FF_EXCLUDE_COUNTRIES)},
	        {"location", B(FF_SUPPLIER_COUNTRIES) | B(FF_EXCLUDE_COUNTRIES)},
	        {"region", B(FF_SUPPLIER_COUNTRIES) | B(FF_EXCLUDE_COUNTRIES)},
	        {"market", B(FF_MARKET)},
	        {"markets", B(FF_MARKET)},
	        {"destination", B(FF_MARKET)},
	        {"certification", B(FF_CERTIFICATIONS)},
	        {"certifications", B(FF_CERTIFICATIONS)},
	        {"certs", B(FF_CERTIFICATIONS)},
	        {"cert", B(FF_CERTIFICATIONS)},
	        {"certificates", B(FF_CERTIFICATIONS)},
	        {"certificate", B(FF_CERTIFICATIONS)},
	        {"compliance", B(FF_CERTIFICATIONS)},
	        {"rating", B(FF_MIN_RATING)},
	        {"ratings", B(FF_MIN_RATING)},
	        {"stars", B(FF_MIN_RATING)},
	        {"reviews", B(FF_MIN_RATING)},
	        {"years", B(FF_MIN_YEARS)},
	        {"experience", B(FF_MIN_YEARS)},
	        {"verified", B(FF_VERIFIED)},
	        {"verification", B(FF_VERIFIED)},
	        {"samples", B(FF_SAMPLES)},
	        {"sample", B(FF_SAMPLES)},
	        {"customization", B(FF_CUSTOMIZATION)},
	        {"customisation", B(FF_CUSTOMIZATION)},
	        {"logo", B(FF_CUSTOMIZATION)},
	        {"branding", B(FF_CUSTOMIZATION)},
	        {"custom", B(FF_CUSTOMIZATION)},
	        {"manufacturer", B(FF_BUSINESS_TYPE)},
	        {"manufacturers", B(FF_BUSINESS_TYPE)},
	        {"factory", B(FF_BUSINESS_TYPE)},
	        {"factories", B(FF_BUSINESS_TYPE)},
	        {"trading", B(FF_BUSINESS_TYPE)},
	        {"traders", B(FF_BUSINESS_TYPE)},
	        {"type", B(FF_BUSINESS_TYPE)},
	        {"incoterm", B(FF_INCOTERM)},
	        {"incoterms", B(FF_INCOTERM)},
	        {"currency", B(FF_CURRENCY)},
	        {"filters", ~0u},
	        {"filter", ~0u},
	        {"everything", ~0u},
	};
#undef B
	for (size_t k = 0; k < sizeof(words) / sizeof(*words); k++)
		if (!strcmp(words[k].w, w))
			return words[k].bits;
	/* "supplier country" / "supplier type" are read from the word after */
	return 0;
}

static int clause_has_number_after(const parse *p, int i)
{
	for (int j = i + 1; j < p->n && intent_same_clause(p, j, i); j++)
		if (p->t[j].kind == T_NUM)
			return 1;
	return 0;
}

/* "forget the wooden ones", "not plastic, steel", "drop the keyword
 * \"before\"" (what souk's own hints say): a word the search holds, after a
 * word of removing, leaves the keywords. */
void intent_find_keyword_edits(parse *p)
{
	static const char *const verbs[] = {"drop", "forget", "remove", "not",   "no",    "without",
	                                    "skip", "lose",   "delete", "ditch", "minus", NULL};
	static const char *const skip[] = {"the",      "that", "those", "this", "any", "keyword",
	                                   "keywords", "word", "term",  "\"",   "'",   NULL};
	const strlist *kw = p->ctx && p->ctx->state ? &p->ctx->state->keywords : NULL;
	if (!kw || !kw->n)
		return;
	for (int i = 0; i < p->n; i++) {
		if (!intent_is_in(p, i, verbs) || p->t[i].used)
			continue;
		int j = i + 1, found = 0;
		while (j < p->n && j <= i + 4 &&
		       (intent_is_in(p, j, skip) || p->t[j].kind == T_PUNCT) &&
		       !intent_is_punct(p, j, ","))
			j++;
		while (j < p->n && p->t[j].kind == T_WORD && !p->t[j].used) {
			char one[WORD_MAX];
			intent_singular(p->v, p->t[j].w, one, sizeof(one));
			if (!strlist_has(kw, one) && !strlist_has(kw, p->t[j].w))
				break;
			strlist_add(&p->r->delta.del[FF_KEYWORDS],
			            strlist_has(kw, one) ? one : p->t[j].w);
			intent_use(p, j, 1);
			found = 1;
			j++;
			while (intent_is_w(p, j, "or") || intent_is_w(p, j, "and"))
				j++;
		}
		if (!found)
			continue;
		intent_use(p, i, 1);
		for (int k = i + 1; k < j; k++)
			if (intent_is_in(p, k, skip) || p->t[k].kind == T_PUNCT)
				intent_use(p, k, 1);
		if (intent_is_w(p, j, "ones") || intent_is_w(p, j, "one"))
			intent_use(p, j, 1);
		if (intent_is_w(p, j, "after") && intent_is_w(p, j + 1, "all"))
			intent_use(p, j, 2);
	}
}

/* "drop the price limit of 0.01 USD", "drop the MOQ limit of 300": after
 * the field's words, "of" and a number name the value being dropped (the
 * relaxation hints souk prints say it so, and typed back they must work).
 * Returns the last token of that value, or -1. */
static int value_named(const parse *p, int i)
{
	static const char *const skip[] = {"limit",    "cap",  "minimum", "maximum", "in",
	                                   "business", "time", "-",       NULL};
	for (int j = i + 1; j < p->n && j <= i + 4; j++) {
		if (intent_is_w(p, j, "of") && j + 1 < p->n && p->t[j + 1].kind == T_NUM) {
			int e = j + 1, kind;
			double f;
			const char *c;
			while (e + 1 < p->n && p->t[e + 1].kind == T_WORD &&
			       (intent_unit_of(p, e + 1, &kind, &f) ||
			        intent_currency_of(p, e + 1, &c, &f) ||
			        intent_is_w(p, e + 1, "pcs") || intent_is_w(p, e + 1, "days")))
				e++;
			return e;
		}
		if (!intent_is_in(p, j, skip) && !intent_in_list(p->t[j].w, INTENT_FIELD_WORDS))
			return -1;
	}
	return -1;
}

/* "forget the price limit", "any country is fine", "drop the MOQ",
 * "lead time doesn't matter", "no minimum order". */
/* Long: one pass; a clear is read from the verb before a field word or the phrase after it, and the
 * two share the field's bits. */
void intent_find_clears(parse *p)
{
	static const char *const verbs[] = {"forget", "drop",      "remove", "clear",  "ignore",
	                                    "lose",   "skip",      "scrap",  "cancel", "delete",
	                                    "reset",  "lift",      "relax",  "mind",   "without",
	                                    "undo",   "disregard", NULL};
	static const char *const fillers[] = {"the", "my",  "that",  "a",    "any",
	                                      "our", "all", "those", "this", "about",
	                                      "of",  "for", "rid",   "your", NULL};
	static const char *const fine[] = {"fine",     "ok",       "okay",  "matter",
	                                   "matters",  "flexible", "open",  "negotiable",
	                                   "whatever", "good",     "works", NULL};
	for (int i = 0; i < p->n; i++) {
		if (p->t[i].kind != T_WORD || p->t[i].used ||
		    !intent_in_list(p->t[i].w, INTENT_FIELD_WORDS))
			continue;
		unsigned bits = field_bits(p, i);
		/* "supplier type" is the business type, "supplier country" the countries */
		if ((intent_is_w(p, i, "supplier") || intent_is_w(p, i, "suppliers")) &&
		    i + 1 < p->n) {
			if (intent_is_w(p, i + 1, "type"))
				bits = 1u << FF_BUSINESS_TYPE;
			else if (intent_is_w(p, i + 1, "country") ||
			         intent_is_w(p, i + 1, "countries"))
				bits = (1u << FF_SUPPLIER_COUNTRIES) | (1u << FF_EXCLUDE_COUNTRIES);
			else
				continue;
		}
		if (intent_is_w(p, i, "minimum") && !intent_is_w(p, i + 1, "order"))
			continue;
		if (intent_is_w(p, i, "type") && !intent_is_w(p, i - 1, "business") &&
		    !intent_is_w(p, i - 1, "supplier"))
			continue;
		if (!bits)
			continue;
		int verb = -1;
		/* a clearing verb before: walk back over fillers and field words */
		for (int j = i - 1; j >= 0 && j >= i - 4 && intent_same_clause(p, j, i); j--) {
			if (intent_is_in(p, j, verbs) ||
			    (intent_is_w(p, j, "need") &&
			     (intent_is_w(p, j - 1, "no") || intent_is_w(p, j - 2, "don't"))) ||
			    (intent_is_w(p, j, "care") &&
			     (intent_is_w(p, j - 1, "don't") || intent_is_w(p, j - 1, "dont") ||
			      intent_is_w(p, j - 1, "not")))) {
				verb = j;
				break;
			}
			if (!intent_is_in(p, j, fillers) &&
			    !intent_in_list(p->t[j].w, INTENT_FIELD_WORDS) &&
			    !intent_is_w(p, j, "need") && !intent_is_w(p, j, "don't"))
				break;
		}
		/* "any country", "no price limit", "no minimum order"; but "no trading
		 * companies" and "no samples" answer a yes/no field (intent_find_flags) */
		unsigned flags = (1u << FF_VERIFIED) | (1u << FF_SAMPLES) |
		                 (1u << FF_CUSTOMIZATION) | (1u << FF_BUSINESS_TYPE);
		int anyno = (intent_is_w(p, i - 1, "any") ||
		             (intent_is_w(p, i - 1, "no") && !(bits & flags))) &&
		            !p->t[i - 1].used;
		/* "the lead time doesn't matter", "price is flexible" */
		int after = 0;
		for (int k = 1; k <= 4; k++) {
			int j = intent_fwd(p, i, k);
			if (j < 0)
				break;
			/* "samples ok" asks for samples; "samples don't matter" clears */
			int yesflag = bits & ((1u << FF_SAMPLES) | (1u << FF_CUSTOMIZATION));
			if (intent_is_in(p, j, fine) && !intent_is_w(p, j - 1, "not") &&
			    (!yesflag || intent_is_w(p, j, "matter") ||
			     intent_is_w(p, j, "matters"))) {
				after = j;
				break;
			}
			if (p->t[j].kind == T_NUM || intent_is_w(p, j, "only"))
				break;
		}
		if (intent_is_w(p, i - 1, "no") && clause_has_number_after(p, i))
			anyno = 0; /* "no more than", "no MOQ above 500" */
		if (verb < 0 && !anyno && !after)
			continue;
		int named = verb >= 0 ? value_named(p, i) : -1;
		if (named < 0 && clause_has_number_after(p, i))
			continue; /* "lower the price to $5" sets, not clears */
		if (named >= 0)
			intent_use(p, i + 1, named - i); /* "of 0.01 USD": the value dropped */
		/* "no samples" / "no logo" are answers about the flag, not clears of a limit */
		if (bits == ~0u) {
			if (verb >= 0) {
				p->r->intents |= INTENT_RESET;
				p->r->delta.reset = 1;
			} else {
				continue;
			}
		} else {
			p->clear |= bits;
		}
		intent_use(p, i, 1);
		if (verb >= 0)
			intent_use(p, verb, 1);
		if (anyno)
			intent_use(p, i - 1, 1);
		if (after)
			intent_use(p, after, 1);
		for (int j = i + 1; j < p->n && j <= i + 2; j++)
			if (intent_in_list(p->t[j].w, INTENT_FIELD_WORDS) ||
			    intent_is_w(p, j, "limit") || intent_is_w(p, j, "cap") ||
			    intent_is_w(p, j, "order") || intent_is_w(p, j, "requirement") ||
			    intent_is_w(p, j, "filter"))
				intent_use(p, j, 1);
	}
}

/* "from anywhere", "anywhere is fine", "doesn't matter where they're made",
 * "wherever": the supplier countries are open again. "sourced anywhere
 * except China" clears them and then excludes China. */
void intent_find_anywhere(parse *p)
{
	static const char *const origin[] = {"from",     "made",         "based",   "located",
	                                     "produced", "manufactured", "sourced", "in",
	                                     "come",     "comes",        NULL};
	static const char *const fine[] = {"is",   "fine", "ok",   "okay", "works",
	                                   "goes", "good", "will", NULL};
	static const char *const care[] = {"matter", "matters", "care", "mind", NULL};
	unsigned countries = (1u << FF_SUPPLIER_COUNTRIES) | (1u << FF_EXCLUDE_COUNTRIES);
	for (int i = 0; i < p->n; i++) {
		if (p->t[i].used)
			continue;
		if (intent_is_w(p, i, "anywhere") || intent_is_w(p, i, "wherever") ||
		    intent_is_w(p, i, "everywhere")) {
			if (intent_is_in(p, i - 1, origin) || intent_is_in(p, i + 1, fine) ||
			    p->n <= 2) {
				p->clear |= countries;
				intent_use(p, i, 1);
			}
		} else if (intent_is_w(p, i, "where")) {
			int o = -1;
			for (int k = i + 1; k < p->n && k <= i + 4 && o < 0; k++)
				if (intent_is_in(p, k, origin))
					o = k;
			if (o < 0)
				continue;
			int said = 0;
			for (int k = i - 3; k <= o + 4 && !said; k++)
				said = k >= 0 && k < p->n && k != i && intent_is_in(p, k, care);
			if (said) {
				p->clear |= countries;
				intent_use(p, i, o - i + 1);
			}
		}
	}
}

/* A question about the current results: "which is cheapest?", "who ships
 * fastest?", "best rated?", "and which one has the lowest MOQ". A sentence
 * that holds a phrase of superlatives.tsv and otherwise only words that
 * ask or point (question words, articles, "one", "has") is answered from
 * the results; its words are spent. With a product, a number or a place
 * beside it ("best price for 5000 paper cups?", "cheapest yoga mats from
 * Vietnam") it is a request and stays one. */
void intent_find_superlative(parse *p)
{
	static const char *const filler[] = {
	        "the",      "one",       "ones",  "is",     "are",     "offer", "offers",
	        "supplier", "suppliers", "of",    "them",   "these",   "those", "here",
	        "now",      "so",        "ok",    "okay",   "and",     "which", "who",
	        "what",     "what's",    "whats", "whos",   "who's",   "me",    "show",
	        "tell",     "most",      "has",   "have",   "got",     "gives", "offers",
	        "sells",    "with",      "a",     "an",     "then",    "right", "there",
	        "please",   "currently", "at",    "moment", "it",      "out",   "overall",
	        "really",   "by",        "far",   "option", "options", "deal",  NULL};
	int start = 0;

	for (int i = 0; i < p->n; i++) {
		if (!intent_sentence_end(p, i))
			continue;
		int best = -1, other = 0;
		for (int k = start; k <= i && !other; k++) {
			int l, v = -1;
			if (best < 0)
				v = intent_phrase_at(p, k, &p->v->superlative,
				                     p->v->superlative_words, 0, &l);
			if (v >= 0) {
				best = v;
				k += l - 1;
			} else if (p->t[k].kind != T_PUNCT && !intent_is_in(p, k, filler)) {
				other = 1;
			}
		}
		if (best >= 0 && !other) {
			p->r->intents |= INTENT_ASK_BEST;
			p->r->best = best;
			intent_use(p, start, i - start + 1);
		}
		start = i + 1;
	}
}

/* A sentence that asks for advice or an explanation ("is it cheaper from
 * Vietnam or China?", "what's the difference between FOB and EXW?",
 * "what do you think?") changes no filter: its words are spent. A
 * question that asks souk to find something ("can you find mugs under
 * $5?") is a request and is read as one. */
void intent_find_questions(parse *p)
{
	static const char *const qw[] = {"is",   "are",   "what", "what's", "whats",  "which",
	                                 "who",  "how",   "why",  "when",   "should", "would",
	                                 "does", "do",    "can",  "could",  "isn't",  "where",
	                                 "whos", "who's", "will", NULL};
	static const char *const lead[] = {"also", "so", "and", "ok",   "okay", "but",
	                                   "hmm",  "oh", "btw", "then", NULL};
	static const char *const ask[] = {"find", "show", "get",  "search", "source", "look",
	                                  "need", "want", "give", "list",   "add",    "filter",
	                                  "only", "set",  "make", NULL};
	static const char *const advise[] = {
	        "think",    "difference", "explain",   "mean",      "means",
	        "meaning",  "usually",    "typically", "generally", "better",
	        "worth",    "advice",     "recommend", "why",       "opinion",
	        "work",     "normal",     "suggest",   "cheapest",  "fastest",
	        "quickest", "best",       "highest",   "lowest",    NULL};
	int start = 0;
	for (int i = 0; i < p->n; i++) {
		if (!intent_sentence_end(p, i))
			continue;
		int first = start;
		while (first < i && (intent_is_in(p, first, lead) || p->t[first].kind == T_PUNCT))
			first++;
		int request = 0, advice = 0;
		for (int k = first; k <= i; k++) {
			request |= intent_is_in(p, k, ask);
			advice |= intent_is_in(p, k, advise);
		}
		if (intent_is_punct(p, i, "?") && intent_is_in(p, first, qw) && advice && !request)
			intent_use(p, start, i - start + 1);
		start = i + 1;
	}
}

/* "actually 1500", "make it 2000", "change it to 3000 instead" */
int intent_correction(const parse *p)
{
	static const char *const cues[] = {
	        "actually",   "instead", "rather",   "make",  "change", "changed",
	        "correction", "sorry",   "wait",     "oops",  "bump",   "raise",
	        "increase",   "reduce",  "decrease", "lower", "cut",    "update",
	        "adjust",     "let's",   "lets",     "say",   "then",   "go",
	        "hmm",        "now",     "meant",    "mean",  NULL};
	for (int i = 0; i < p->n; i++)
		if (intent_is_in(p, i, cues))
			return 1;
	return 0;
}

/* "make it", "change that to", "actually", "rather" right before s. */
int intent_corrects(const parse *p, int s)
{
	static const char *const cue[] = {"actually", "rather",     "instead", "make", "change",
	                                  "sorry",    "correction", "no",      NULL};
	for (int k = 1; k <= 3; k++) {
		int j = intent_back(p, s, k);
		if (j < 0)
			return 0;
		if (intent_is_in(p, j, cue))
			return 1;
		if (!(intent_is_w(p, j, "it") || intent_is_w(p, j, "that") ||
		      intent_is_w(p, j, "to") || intent_is_w(p, j, "make")))
			return 0;
	}
	return 0;
}
