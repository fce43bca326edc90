/* intent_attr: certifications and attributes (verified, samples, custom, incoterm, larger MOQs). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "intent_int.h"

/* ---- certifications ---- */

static void cert_action(parse *p, const char *alias, const char *canon, int del)
{
	if (!del) {
		strlist_add(&p->cert_add, canon);
		strlist_remove(&p->cert_del, canon);
		return;
	}
	/* a bare family name ("ISO") deletes every member of the family, those
	 * the vocabulary knows and those the state holds ("ISO 22716") */
	size_t al = strlen(alias);
	int family = 0;
	const strlist *held = p->ctx && p->ctx->state ? &p->ctx->state->certifications : NULL;
	for (int i = 0; i < p->v->ncerts + (held ? held->n : 0); i++) {
		const char *c = i < p->v->ncerts ? p->v->certs[i] : held->v[i - p->v->ncerts];
		if (strlen(c) > al + 1 && !strncasecmp(c, alias, al) && c[al] == ' ') {
			strlist_add(&p->cert_del, c);
			family = 1;
		}
	}
	if (!family)
		strlist_add(&p->cert_del, canon);
	strlist_remove(&p->cert_add, canon);
}

/* "LFGB or FDA": the certification joins the one said just before it in
 * a group any one of which will do ("LFGB|FDA", see filter.h). */
static void cert_either(parse *p, const char *canon)
{
	char *group = xasprintf("%s|%s", p->cert_add.v[p->cert_add.n - 1], canon);

	strlist_remove(&p->cert_add, p->cert_add.v[p->cert_add.n - 1]);
	strlist_add(&p->cert_add, group);
	free(group);
}

/* A numbered standard: "ISO 22716", "ISO-13485", "iso14001", "IEC 60335",
 * "EN 1888", "ISO 9001:2015". Any number after a standards body names a
 * certificate, never a quantity; the vocabulary's spelling wins when it
 * knows the standard, otherwise the name is kept as "ISO 22716". Returns
 * the tokens used (0: none) and writes the name. */
static int numbered_standard(const parse *p, int i, char *name, size_t n)
{
	static const char *const bodies[] = {"iso", "iec", "en", "astm", "ansi", "bs", NULL};
	const tok *t = &p->t[i];
	if (t->kind != T_WORD)
		return 0;
	char body[8] = "";
	const char *digits = NULL;
	int used = 0;
	for (int b = 0; bodies[b] && !digits; b++) {
		size_t bl = strlen(bodies[b]);
		if (strncmp(t->w, bodies[b], bl))
			continue;
		const char *rest = t->w + bl;
		if (*rest == '-')
			rest++;
		if (!t->w[bl] && i + 1 < p->n && p->t[i + 1].kind == T_NUM &&
		    !p->t[i + 1].decimal && !p->t[i + 1].kilo && p->t[i + 1].num >= 1 &&
		    p->t[i + 1].num < 1e6 && !p->t[i + 1].used) {
			digits = p->t[i + 1].w;
			used = 2;
		} else if (isdigit((unsigned char)*rest) &&
		           strspn(rest, "0123456789") == strlen(rest) && strlen(rest) <= 6) {
			digits = rest;
			used = 1;
		}
		if (digits)
			snprintf(body, sizeof(body), "%s", bodies[b]);
	}
	if (!digits)
		return 0;
	/* "en", "bs" and "ansi" read as standards only in capitals or glued to the number */
	if ((!strcmp(body, "en") || !strcmp(body, "bs") || !strcmp(body, "ansi")) && used == 2 &&
	    !t->caps)
		return 0;
	char alias[64];
	snprintf(alias, sizeof(alias), "%s %.12s", body, digits);
	const char *canon = intent_cert_canonical(p->v, alias);
	if (canon) {
		snprintf(name, n, "%s", canon);
	} else {
		snprintf(name, n, "%s", alias);
		for (char *c = name; *c && *c != ' '; c++)
			*c = (char)toupper((unsigned char)*c);
	}
	/* the year of the edition: "ISO 9001:2015" */
	int e = i + used;
	if (intent_is_punct(p, e, ":") && e + 1 < p->n && p->t[e + 1].kind == T_NUM &&
	    p->t[e + 1].num >= 1980 && p->t[e + 1].num <= 2100)
		used += 2;
	return used;
}

static int cert_cue(const parse *p, int i)
{
	static const char *const cues[] = {
	        "certified", "certification", "certificate", "compliant",   "compliance",
	        "approved",  "standard",      "regulation",  "regulations", "registered",
	        "mark",      "marked",        "cert",        NULL};
	return intent_is_in(p, i, cues);
}

/* Long: one pass over certification names; a list carries its head's action to the next name. */
void intent_find_certs(parse *p)
{
	int last_end = -10, last_del = 0;
	for (int i = 0; i < p->n; i++) {
		if (p->t[i].used)
			continue;
		int len;
		char numbered[64];
		const char *canon;
		int v = -1;
		if ((len = numbered_standard(p, i, numbered, sizeof(numbered))) > 0) {
			canon = numbered;
		} else {
			v = intent_phrase_at(p, i, &p->v->cert, p->v->cert_words, 0, &len);
			if (v < 0)
				continue;
			canon = p->v->certs[v / 2];
		}
		/* "BPA-free", "PFAS-free": a claim about what the product does not
		 * contain, a product attribute rather than a certificate */
		size_t wl = strlen(p->t[i + len - 1].w);
		if (v >= 0 && ((wl > 5 && !strcmp(p->t[i + len - 1].w + wl - 5, "-free")) ||
		               intent_is_w(p, i + len - 1, "free")))
			continue;
		if (v >= 0 && (v & 1)) {
			/* "reach", "gs", "cb": only in capitals, in a list, or with a cue */
			int near = 0;
			for (int k = -3; k <= 3 && !near; k++) {
				int j = i + k;
				if (k == 0 || j < 0 || j >= p->n)
					continue;
				int l2;
				if (cert_cue(p, j) ||
				    (intent_phrase_at(p, j, &p->v->cert, p->v->cert_words, 0,
				                      &l2) >= 0 &&
				     !(smap_get(&p->v->cert, p->t[j].w) & 1)))
					near = 1;
			}
			if (!p->t[i].caps && !near)
				continue;
		}
		char alias[128] = "";
		for (int j = i; j < i + len; j++) {
			if (j > i)
				strcat(alias, " ");
			strncat(alias, p->t[j].w, sizeof(alias) - strlen(alias) - 2);
		}
		/* a list ("drop CE and FCC") continues the action of its head */
		int cont = 1, either = 0;
		for (int j = last_end; j < i && cont; j++) {
			if (j < 0 || !(intent_is_w(p, j, "and") || intent_is_w(p, j, "or") ||
			               intent_is_punct(p, j, ",") || intent_is_punct(p, j, "/") ||
			               intent_is_punct(p, j, "&") || intent_is_w(p, j, "nor")))
				cont = 0;
			either |= j >= 0 && intent_is_w(p, j, "or");
		}
		int del;
		static const char *const swap[] = {"swap",     "replace",    "switch",
		                                   "exchange", "substitute", NULL};
		if (intent_is_in(p, intent_back(p, i, 1), swap) ||
		    (intent_is_w(p, intent_back(p, i, 1), "not") &&
		     intent_is_in(p, intent_back(p, i, 2), swap)))
			del = 1; /* "swap FCC for RoHS": FCC goes, RoHS comes */
		else if ((intent_is_w(p, intent_back(p, i, 1), "for") ||
		          intent_is_w(p, intent_back(p, i, 1), "with")) &&
		         last_end == intent_back(p, i, 1) && last_del)
			del = 0;
		else if (cont && last_end >= 0 && i - last_end <= 2)
			del = last_del;
		else
			del = intent_negated_before(p, i, 3) ||
			      intent_negated_after(p, i + len - 1);
		if (cont && either && !del && !last_del && last_end >= 0 && p->cert_add.n > 0)
			cert_either(p, canon); /* "LFGB or FDA": any one of them */
		else
			cert_action(p, alias, canon, del);
		if (intent_is_w(p, intent_back(p, i, 1), "either"))
			intent_use(p, intent_back(p, i, 1), 1);
		intent_use(p, i, len);
		if (cert_cue(p, i + len))
			intent_use(p, i + len, 1);
		last_end = i + len;
		last_del = del;
		i += len - 1;
	}
}

/* ---- flags: verified, samples, customization, business type, incoterm ---- */

/* Whether a flag word is said on or off; the words that say it is not
 * wanted after it ("isn't essential") are spent with it. */
static int flag_value(parse *p, int i)
{
	int off = intent_negated_before(p, i, 3) || intent_negated_after(p, i);

	intent_use_negation_after(p, i);
	return !off;
}

static const char *const LABEL[] = {"label",    "labels",  "labelling", "labeling",
                                    "labelled", "labeled", NULL};

/* What a buyer customises: "custom colours and packaging", "personalised
 * prints". Said after a customisation word, they are the request, not the
 * product. */
static const char *const CUSTOM_OBJECTS[] = {
        "packaging", "package",   "packages",  "logo",       "logos",    "branding", "label",
        "labels",    "box",       "boxes",     "color",      "colors",   "colour",   "colours",
        "colorway",  "colorways", "design",    "designs",    "print",    "prints",   "printing",
        "pattern",   "patterns",  "size",      "sizes",      "sizing",   "shape",    "shapes",
        "artwork",   "text",      "engraving", "embroidery", "tag",      "tags",     "hangtag",
        "hangtags",  "insert",    "inserts",   "service",    "services", "options",  "option",
        "order",     "orders",    "work",      NULL};
static const char *const CUSTOM_HOW[] = {"printed",  "printing", "embroidered", "engraved",
                                         "embossed", "stamped",  "debossed",    "woven",
                                         "added",    "on",       "it",          NULL};

static const char *const CUSTOM_VERBS[] = {
        "print",   "printed", "printing", "engrave",   "engraved",    "engraving",
        "laser",   "emboss",  "embossed", "embroider", "embroidered", "stamp",
        "stamped", "put",     "add",      "deboss",    "debossed",    NULL};

static void use_custom_objects(parse *p, int i)
{
	for (int j = i; j < p->n && j < i + 6; j++) {
		if (intent_is_in(p, j, CUSTOM_OBJECTS))
			intent_use(p, j, 1);
		else if (!((intent_is_w(p, j, "and") || intent_is_w(p, j, "or") ||
		            intent_is_punct(p, j, ",") || intent_is_punct(p, j, "/") ||
		            intent_is_punct(p, j, "&")) &&
		           intent_is_in(p, j + 1, CUSTOM_OBJECTS)))
			return;
	}
}

/* "low MOQ", "short lead time", "good ratings", "competitive prices": an
 * adjective on a filter's name is part of the request, not of the product. */
void intent_use_field_adjectives(parse *p)
{
	static const char *const adj[] = {
	        "low",     "lower",  "lowest", "small",     "smaller",     "smallest",   "short",
	        "shorter", "fast",   "faster", "quick",     "quicker",     "high",       "higher",
	        "good",    "great",  "top",    "best",      "competitive", "reasonable", "flexible",
	        "decent",  "strong", "solid",  "excellent", "premium",     "tight",      "rapid",
	        "speedy",  "prompt", NULL};
	static const char *const fields[] = {
	        "moq",        "moqs",    "minimum",   "minimums", "price",    "prices",
	        "pricing",    "lead",    "lead-time", "delivery", "shipping", "turnaround",
	        "rating",     "ratings", "reviews",   "feedback", "quality",  "minimums",
	        "production", "cost",    "costs",     "deadline", NULL};
	for (int i = 0; i + 1 < p->n; i++)
		if (intent_is_in(p, i, adj) && intent_is_in(p, i + 1, fields))
			intent_use(p, i, 2);
	/* "top rated", "highly reviewed" suppliers; "real", "genuine" factories */
	static const char *const well[] = {"top",  "highly", "well",   "best",
	                                   "high", "good",   "better", NULL};
	static const char *const rated[] = {"rated", "reviewed", "ranked", "rating", NULL};
	static const char *const real[] = {"real", "genuine", "actual", "true", "proper", NULL};
	for (int i = 0; i + 1 < p->n; i++) {
		if (intent_is_in(p, i, well) && intent_is_in(p, i + 1, rated))
			intent_use(p, i, 2);
		if (intent_is_in(p, i, real) && p->t[i + 1].used &&
		    (intent_is_w(p, i + 1, "manufacturers") ||
		     intent_is_w(p, i + 1, "manufacturer") || intent_is_w(p, i + 1, "factories") ||
		     intent_is_w(p, i + 1, "factory") || intent_is_w(p, i + 1, "producers") ||
		     intent_is_w(p, i + 1, "makers")))
			intent_use(p, i, 1);
	}
}

/* "FOB Shanghai", "CIF port of Hamburg", "DDP to Los Angeles": the named
 * place of an incoterm is where goods change hands, not what they are. A
 * port is a capitalised name right after the term; ports said in lower case
 * are among the stop words. Countries were read before. */
static void use_port(parse *p, int i)
{
	if (intent_is_w(p, i, "to") || intent_is_w(p, i, "at") || intent_is_w(p, i, "from"))
		i++;
	if (intent_is_w(p, i, "port") && intent_is_w(p, i + 1, "of") && i + 2 < p->n &&
	    p->t[i + 2].cap1) {
		intent_use(p, i, 2);
		i += 2;
	}
	int k = 0;
	while (k < 3 && i + k < p->n && p->t[i + k].kind == T_WORD && !p->t[i + k].used &&
	       p->t[i + k].cap1)
		intent_use(p, i + k++, 1);
	if (k && (intent_is_w(p, i + k, "port") || intent_is_w(p, i + k, "harbour") ||
	          intent_is_w(p, i + k, "harbor")))
		intent_use(p, i + k, 1);
}

/* "for laser engraving", "for printing": a process named as the purpose
 * of the goods is what the buyer will do, not a service asked of the
 * supplier. */
static int for_own_use(const parse *p, int i)
{
	int b = intent_back(p, i, 1);
	if (intent_is_in(p, b, CUSTOM_VERBS))
		b = intent_back(p, b, 1);
	return intent_is_w(p, b, "for") && !intent_is_w(p, i, "logo") &&
	       !intent_is_w(p, i, "logos");
}

/* "include larger MOQs", "bigger minimums are fine too", "show the ones
 * with an MOQ above my quantity", "hide the larger MOQs": whether offers
 * whose MOQ is above the quantity are shown. A comparative next to the MOQ
 * (or "minimum", "minimum order") says it; a negation or a word that hides
 * sets them aside again. */
void intent_find_larger_moq(parse *p)
{
	static const char *const more[] = {"larger", "bigger",  "higher", "above",
	                                   "over",   "greater", NULL};
	static const char *const moq[] = {"moq", "moqs", "minimum", "minimums", "minimal", NULL};
	static const char *const hide[] = {"hide", "without", "exclude", "drop", "remove",
	                                   "skip", "no",      "not",     NULL};
	static const char *const show[] = {"include",   "show",    "also", "too",   "fine", "ok",
	                                   "okay",      "allowed", "back", "bring", "with", "see",
	                                   "including", "as",      "well", NULL};

	for (int i = 0; i < p->n; i++) {
		if (p->t[i].used || !intent_is_in(p, i, moq))
			continue;
		/* the comparative right before ("bigger MOQs") or right after ("MOQ
		 * above my quantity"), over an article or "an" at most */
		int c = -1;
		if (intent_is_in(p, i - 1, more))
			c = i - 1;
		else if (intent_is_in(p, i + 1, more))
			c = i + 1;
		if (c < 0 || p->t[c].used || (c + 1 < p->n && p->t[c + 1].kind == T_NUM))
			continue; /* "MOQ over 1000" is a number's bound, read with numbers */
		int lo = (c < i ? c : i), hi = (c < i ? i : c), on = 1;
		for (int k = lo - 4; k <= hi + 4; k++) {
			if (k < 0 || k >= p->n || (k >= lo && k <= hi))
				continue;
			int h = intent_is_in(p, k, hide);
			if (h)
				on = 0;
			if ((h || intent_is_in(p, k, show)) && !p->t[k].used &&
			    p->t[k].kind == T_WORD)
				intent_use(p, k, 1);
		}
		p->larger_moq = on;
		intent_use(p, lo, hi - lo + 1);
		/* "minimum order": the noun goes with it */
		if (intent_is_w(p, hi + 1, "order") || intent_is_w(p, hi + 1, "orders") ||
		    intent_is_w(p, hi + 1, "quantity") || intent_is_w(p, hi + 1, "quantities"))
			intent_use(p, hi + 1, 1);
	}
}

/* "FOB", "ex works", "free on board", "delivered duty paid", with a port. */
static void find_incoterms(parse *p)
{
	static const char *const inco[] = {"exw", "fob", "cif", "ddp", NULL};
	for (int i = 0; i < p->n; i++) {
		if (p->t[i].used)
			continue;
		if (intent_is_in(p, i, inco)) {
			p->incoterm = !strcmp(p->t[i].w, "exw")   ? "EXW"
			              : !strcmp(p->t[i].w, "fob") ? "FOB"
			              : !strcmp(p->t[i].w, "cif") ? "CIF"
			                                          : "DDP";
			intent_use(p, i, 1);
			use_port(p, i + 1);
		} else if ((intent_is_w(p, i, "ex") && intent_is_w(p, i + 1, "works")) ||
		           intent_is_w(p, i, "ex-works")) {
			p->incoterm = "EXW";
			intent_use(p, i, intent_is_w(p, i, "ex") ? 2 : 1);
		} else if (intent_is_w(p, i, "free") && intent_is_w(p, i + 1, "on") &&
		           intent_is_w(p, i + 2, "board")) {
			p->incoterm = "FOB";
			intent_use(p, i, 3);
		} else if (intent_is_w(p, i, "delivered") && intent_is_w(p, i + 1, "duty") &&
		           intent_is_w(p, i + 2, "paid")) {
			p->incoterm = "DDP";
			intent_use(p, i, 3);
		}
	}
}

/* Long: one pass over the attribute words; the business-type cues (said, negated, "only") carry
 * across it. */
void intent_find_flags(parse *p)
{
	static const char *const verified[] = {"verified", "vetted", "audited", NULL};
	static const char *const samples[] = {"sample", "samples", "sampling", NULL};
	static const char *const custom[] = {
	        "custom",       "customized",   "customised", "customizable",  "customisable",
	        "personalized", "personalised", "oem",        "odm",           "logo",
	        "logos",        "branding",     "branded",    "customization", "customisation",
	        "engraved",     "engraving",    NULL};
	static const char *const manu[] = {"manufacturer", "manufacturers", "factory", "factories",
	                                   "producer",     "producers",     NULL};
	static const char *const trad[] = {"trading",      "trader",      "traders",
	                                   "wholesaler",   "wholesalers", "distributor",
	                                   "distributors", "middleman",   "middlemen",
	                                   "reseller",     "resellers",   NULL};
	static const char *const fine[] = {"fine",    "ok",         "okay", "too",
	                                   "allowed", "acceptable", NULL};
	int said_m = 0, said_t = 0, only_m = 0, only_t = 0;
	for (int i = 0; i < p->n; i++) {
		tok *t = &p->t[i];
		if (t->kind != T_WORD || t->used)
			continue;
		if (intent_is_in(p, i, verified)) {
			/* "BSCI audited" is about the certificate */
			if (!strcmp(t->w, "audited") && i > 0 && p->t[i - 1].used)
				continue;
			p->verified = flag_value(p, i);
			intent_use(p, i, 1);
		} else if (!strcmp(t->w, "unverified")) {
			p->verified = 0;
			intent_use(p, i, 1);
		} else if ((intent_is_w(p, i, "gold") && (intent_is_w(p, i + 1, "supplier") ||
		                                          intent_is_w(p, i + 1, "suppliers"))) ||
		           (intent_is_w(p, i, "trade") && intent_is_w(p, i + 1, "assurance"))) {
			p->verified = 1;
			intent_use(p, i, 2);
		} else if (intent_is_in(p, i, samples)) {
			p->samples = flag_value(p, i);
			intent_use(p, i, 1);
			if (intent_is_w(p, i - 1, "free"))
				intent_use(p, i - 1, 1);
		} else if (intent_is_in(p, i, custom) && for_own_use(p, i)) {
			continue; /* "blanks for laser engraving": the buyer engraves */
		} else if (intent_is_in(p, i, custom) ||
		           ((intent_is_w(p, i, "private") || intent_is_w(p, i, "white") ||
		             intent_is_w(p, i, "own")) &&
		            intent_is_in(p, i + 1, LABEL)) ||
		           (intent_is_w(p, i, "own") &&
		            (intent_is_w(p, i + 1, "brand") || intent_is_w(p, i + 1, "logo")))) {
			p->custom = flag_value(p, i);
			int k = intent_is_in(p, i, custom) ? 1 : 2;
			intent_use(p, i, k);
			/* "custom printed mugs", "custom engraved pens": how it is
			 * customised, not what the product is */
			if (intent_is_w(p, i, "custom") && intent_is_in(p, i + 1, CUSTOM_VERBS))
				intent_use(p, i + k++, 1);
			use_custom_objects(p, i + k);
			/* "logo printed", "can print our logo", "laser engraved logo" */
			if (intent_is_w(p, i, "logo") || intent_is_w(p, i, "logos"))
				while (intent_is_in(p, i + k, CUSTOM_HOW))
					intent_use(p, i + k++, 1);
			/* back over function words only: "printed mugs with a custom
			 * logo" keeps "printed" */
			for (int b = 1; b <= 3; b++) {
				int j = intent_back(p, i, b);
				if (intent_is_in(p, j, CUSTOM_VERBS))
					intent_use(p, j, 1);
				else if (j < 0 || smap_get(&p->v->stop, p->t[j].w) < 0)
					break;
			}
		} else if (intent_is_in(p, i, manu) || intent_is_in(p, i, trad)) {
			int m = intent_is_in(p, i, manu);
			/* "trading" alone, or "trading company" */
			if (!m && (intent_is_w(p, i + 1, "company") ||
			           intent_is_w(p, i + 1, "companies") ||
			           intent_is_w(p, i + 1, "firm") || intent_is_w(p, i + 1, "firms")))
				intent_use(p, i + 1, 1);
			int j = intent_fwd(p, i, 1);
			if (intent_is_w(p, j, "is") || intent_is_w(p, j, "are"))
				j = intent_fwd(p, j, 1);
			if (intent_is_in(p, j, fine) ||
			    (intent_is_w(p, j, "also") &&
			     intent_is_in(p, intent_fwd(p, j, 1), fine))) {
				p->btype = 3;
				intent_use(p, i, 1);
				continue;
			}
			/* in "no Chinese factories" the "no" is about the country */
			int neg =
			        intent_negated_before(p, i, 3) &&
			        !(intent_back(p, i, 1) >= 0 && p->t[intent_back(p, i, 1)].country);
			int only = intent_is_w(p, i + 1, "only") ||
			           intent_is_w(p, intent_back(p, i, 1), "only");
			if (m ^ neg)
				said_m = 1, only_m |= only;
			else
				said_t = 1, only_t |= only;
			intent_use(p, i, 1);
		} else if (intent_is_w(p, i, "direct") || intent_is_w(p, i, "directly")) {
			/* "factory direct", "direct from the manufacturer", "directly
			 * from factories": the business type says it */
			for (int k = -1; k <= 3; k++) {
				int j = i + k;
				if (k && intent_is_in(p, j, manu)) {
					intent_use(p, i, 1);
					if (!p->t[j].used) {
						said_m = 1;
						intent_use(p, j, 1);
					}
					break;
				}
			}
		}
	}
	/* "my last supplier was a trading company ... so factories only": the
	 * one said with "only" is the request */
	if (said_m && said_t && only_m != only_t) {
		said_m = only_m;
		said_t = only_t;
	}
	if (said_m && said_t)
		p->btype = 3;
	else if (said_m)
		p->btype = 1;
	else if (said_t)
		p->btype = 2;

	find_incoterms(p);
}
