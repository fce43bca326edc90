/* import: CSV (RFC 4180) and JSON offers into the catalog, from a file or a URL, all or nothing. */
#include "import.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "catalog.h"
#include "dylib.h"
#include "json.h"
#include "money.h"
#include "text.h"

/* ---- normalising countries, currencies and certifications ---- */

/* alpha-2, alpha-3, then '|'-separated lower-case names and aliases. */
static const char *const countries[][3] = {
        {"CN", "CHN", "china|mainland china|prc|people's republic of china|chinese"},
        {"HK", "HKG", "hong kong|hongkong|hong kong sar"},
        {"TW", "TWN", "taiwan|republic of china|chinese taipei"},
        {"IN", "IND", "india"},
        {"VN", "VNM", "vietnam|viet nam"},
        {"TR", "TUR", "turkey|turkiye|t\xc3\xbcrkiye"},
        {"PK", "PAK", "pakistan"},
        {"BD", "BGD", "bangladesh"},
        {"TH", "THA", "thailand"},
        {"ID", "IDN", "indonesia"},
        {"MY", "MYS", "malaysia"},
        {"PH", "PHL", "philippines"},
        {"SG", "SGP", "singapore"},
        {"KH", "KHM", "cambodia"},
        {"LK", "LKA", "sri lanka"},
        {"MM", "MMR", "myanmar|burma"},
        {"KR", "KOR", "south korea|korea|republic of korea|korea, republic of"},
        {"JP", "JPN", "japan"},
        {"MX", "MEX", "mexico"},
        {"US", "USA", "united states|united states of america|usa|u.s.|u.s.a.|america"},
        {"CA", "CAN", "canada"},
        {"BR", "BRA", "brazil"},
        {"AR", "ARG", "argentina"},
        {"CL", "CHL", "chile"},
        {"CO", "COL", "colombia"},
        {"PE", "PER", "peru"},
        {"GB", "GBR", "united kingdom|uk|great britain|britain|england|scotland|wales"},
        {"IE", "IRL", "ireland"},
        {"DE", "DEU", "germany|deutschland"},
        {"FR", "FRA", "france"},
        {"IT", "ITA", "italy|italia"},
        {"ES", "ESP",
         "spain|espana|espa\xc3\xb1"
         "a"},
        {"PT", "PRT", "portugal"},
        {"NL", "NLD", "netherlands|the netherlands|holland"},
        {"BE", "BEL", "belgium"},
        {"LU", "LUX", "luxembourg"},
        {"AT", "AUT", "austria"},
        {"CH", "CHE", "switzerland"},
        {"PL", "POL", "poland"},
        {"CZ", "CZE", "czech republic|czechia"},
        {"SK", "SVK", "slovakia"},
        {"HU", "HUN", "hungary"},
        {"RO", "ROU", "romania"},
        {"BG", "BGR", "bulgaria"},
        {"GR", "GRC", "greece"},
        {"HR", "HRV", "croatia"},
        {"SI", "SVN", "slovenia"},
        {"DK", "DNK", "denmark"},
        {"SE", "SWE", "sweden"},
        {"NO", "NOR", "norway"},
        {"FI", "FIN", "finland"},
        {"EE", "EST", "estonia"},
        {"LV", "LVA", "latvia"},
        {"LT", "LTU", "lithuania"},
        {"UA", "UKR", "ukraine"},
        {"RU", "RUS", "russia|russian federation"},
        {"IL", "ISR", "israel"},
        {"AE", "ARE", "united arab emirates|uae"},
        {"SA", "SAU", "saudi arabia"},
        {"EG", "EGY", "egypt"},
        {"MA", "MAR", "morocco"},
        {"TN", "TUN", "tunisia"},
        {"ZA", "ZAF", "south africa"},
        {"KE", "KEN", "kenya"},
        {"NG", "NGA", "nigeria"},
        {"ET", "ETH", "ethiopia"},
        {"AU", "AUS", "australia"},
        {"NZ", "NZL", "new zealand"},
};

static int norm_eq(const char *a, const char *b, size_t blen)
{
	return strlen(a) == blen && strncasecmp(a, b, blen) == 0;
}

/* Does list (a '|'-separated set) contain s[0..n) ignoring case? */
static int list_has(const char *list, const char *s, size_t n)
{
	while (*list) {
		size_t k = strcspn(list, "|");
		if (k == n && strncasecmp(list, s, n) == 0)
			return 1;
		list += k;
		if (*list)
			list++;
	}
	return 0;
}

static void trim_span(const char **s, size_t *n)
{
	while (*n && isspace((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

const char *import_country(const char *s)
{
	size_t n;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	trim_span(&s, &n);
	/* The common case first: an upper-case alpha-2 code. */
	for (size_t i = 0; n == 2 && i < sizeof countries / sizeof *countries; i++)
		if (countries[i][0][0] == s[0] && countries[i][0][1] == s[1])
			return countries[i][0];
	for (size_t i = 0; i < sizeof countries / sizeof *countries; i++)
		if (norm_eq(countries[i][0], s, n) || norm_eq(countries[i][1], s, n) ||
		    list_has(countries[i][2], s, n))
			return countries[i][0];
	if (norm_eq("EU", s, n) || list_has("european union|europe", s, n))
		return "EU";
	return NULL;
}

static const char *const currencies[][2] = {
        {"USD", "$|us$|usd$|dollar|dollars|us dollar|us dollars"},
        {"EUR", "\xe2\x82\xac|euro|euros"},
        {"GBP", "\xc2\xa3|pound|pounds|sterling|gbp\xc2\xa3"},
        {"CNY", "\xc2\xa5|\xef\xbf\xa5|rmb|yuan|renminbi|cn\xc2\xa5"},
        {"JPY", "yen|jp\xc2\xa5"},
        {"INR", "\xe2\x82\xb9|rupee|rupees|rs"},
        {"TRY", "\xe2\x82\xba|lira|tl"},
        {"VND", "\xe2\x82\xab|dong"},
        {"KRW", "\xe2\x82\xa9|won"},
        {"CAD", "c$|ca$"},
        {"AUD", "a$|au$"},
        {"HKD", "hk$"},
        {"TWD", "nt$"},
};

const char *import_currency(const char *s)
{
	static const char *const codes[] = {
	        "USD", "EUR", "GBP", "CNY", "JPY", "INR", "VND", "TRY", "CAD", "AUD", "NZD", "CHF",
	        "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "BGN", "MXN", "BRL", "KRW", "TWD",
	        "HKD", "SGD", "THB", "MYR", "IDR", "PHP", "PKR", "BDT", "AED", "SAR", "ZAR", "ILS",
	        "EGP", "RUB", "UAH", "CLP", "COP", "PEN", "ARS", "NGN", "KES", "MAD", "LKR"};
	size_t n;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	trim_span(&s, &n);
	for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
		if (norm_eq(codes[i], s, n))
			return codes[i];
	for (size_t i = 0; i < sizeof currencies / sizeof *currencies; i++)
		if (list_has(currencies[i][1], s, n))
			return currencies[i][0];
	return NULL;
}

static const char *const cert_names[] = {
        "CE",     "UKCA",     "FCC",       "UL",       "ETL",       "RoHS", "REACH",     "FDA",
        "LFGB",   "CPSIA",    "CPSC",      "EN71",     "ASTM F963", "GOTS", "OEKO-TEX",  "BSCI",
        "SEDEX",  "ISO 9001", "ISO 14001", "BPA-free", "CCC",       "PSE",  "KC",        "SAA",
        "GS",     "WEEE",     "CB",        "Prop 65",  "FSC",       "GRS",  "IEC 62133", "UN38.3",
        "EN 166", "ANSI",     "USAPA",     "ERP"};

/* Letters and digits only, lower case: "OEKO-TEX" and "oeko tex" compare equal. */
static size_t cert_key(const char *s, size_t n, char *out, size_t cap)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k + 1 < cap; i++)
		if (isalnum((unsigned char)s[i]))
			out[k++] = (char)tolower((unsigned char)s[i]);
	out[k] = '\0';
	return k;
}

static const char *cert_canon(const char *s, size_t n)
{
	char key[64], cand[64];

	/* Most files already use the canonical spelling. */
	for (size_t i = 0; i < sizeof cert_names / sizeof *cert_names; i++)
		if (strncmp(cert_names[i], s, n) == 0 && cert_names[i][n] == '\0')
			return cert_names[i];
	if (cert_key(s, n, key, sizeof key) == 0)
		return NULL;
	if (strcmp(key, "oekotexstandard100") == 0 || strcmp(key, "oekotex100") == 0)
		return "OEKO-TEX";
	if (strcmp(key, "bpafree") == 0 || strcmp(key, "nobpa") == 0)
		return "BPA-free";
	if (strcmp(key, "proposition65") == 0 || strcmp(key, "prop65") == 0)
		return "Prop 65";
	if (strcmp(key, "astmf96317") == 0 || strcmp(key, "astmf96323") == 0)
		return "ASTM F963";
	for (size_t i = 0; i < sizeof cert_names / sizeof *cert_names; i++) {
		cert_key(cert_names[i], strlen(cert_names[i]), cand, sizeof cand);
		if (strcmp(key, cand) == 0)
			return cert_names[i];
	}
	return NULL;
}

const char *import_cert(const char *s)
{
	return s ? cert_canon(s, strlen(s)) : NULL;
}

/* ---- fields of an offer, and the header names that mean them ---- */

enum field {
	F_TITLE,
	F_DESC,
	F_CATEGORY,
	F_PRICE,
	F_TIERS,
	F_CURRENCY,
	F_MOQ,
	F_MOQ_UNIT,
	F_LEAD,
	F_SAMPLES,
	F_SAMPLE_PRICE,
	F_CUSTOM,
	F_INCOTERM,
	F_PORT,
	F_WEIGHT,
	F_VOLUME,
	F_CERTS,
	F_ATTRS,
	S_NAME,
	S_COUNTRY,
	S_CITY,
	S_TYPE,
	S_VERIFIED,
	S_TA,
	S_YEAR,
	S_RATING,
	S_REVIEWS,
	S_RESP_RATE,
	S_RESP_HOURS,
	S_ONTIME,
	S_REORDER,
	S_STAFF,
	S_MARKETS,
	S_CERTS,
	S_ID,
	NFIELDS,
	F_IGNORE = -1,
	F_ATTR = -2,     /* an unknown column becomes a product attribute */
	F_PRICE_AT = -3, /* "price_500": the price from 500 units on */
};

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
static int header_field(const char *raw, size_t n, int in_supplier, long *qty,
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
		const char *cur = import_currency(key + len - 3);
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

/* ---- one input row as strings (CSV fields or JSON values) ---- */

#define MAX_AT    16
#define MAX_ATTRS 256
/* Tiers and certifications are written for this many rows at once, at
 * most this many tuples to a statement. */
#define ROWS_AT_ONCE   16
#define TUPLES_AT_ONCE 64

typedef struct rec {
	const char *f[NFIELDS];
	const char *price_cur; /* from the price column's name */
	long at_qty[MAX_AT];
	const char *at_val[MAX_AT];
	int nat;
	const char *attr_key[MAX_ATTRS], *attr_val[MAX_ATTRS];
	int nattr;
	int dropped; /* attributes and price_QTY members beyond MAX_ATTRS, MAX_AT */
} rec;

/* ---- the importer ---- */

/* Known suppliers by "COUNTRY\x1fname" in any case, open addressing. With
 * tens of thousands of suppliers a lookup misses the CPU cache: a slot is
 * one cache line holding the hash, the id and (nearly always) the key, so
 * that it misses once, where a key stored apart missed twice. */
#define SUPKEY_INLINE 48

typedef struct supslot {
	uint32_t hash; /* the hash's high half (the low bits chose the slot) */
	uint32_t len;  /* of the key */
	long id;       /* 0: an empty slot */
	union {
		char s[SUPKEY_INLINE]; /* keys shorter than SUPKEY_INLINE */
		char *p;               /* longer ones */
	} key;
} supslot;

typedef struct supmap {
	supslot *slot; /* cap of them, 64-byte aligned */
	size_t cap, n;
} supmap;

/* A tier or certification waiting for rows_flush; line is its row's. */
typedef struct qtier {
	long pid, qty, line;
	double price;
} qtier;

typedef struct qcert {
	long pid, line;
	size_t name; /* offset in importer.qnames */
	int len;
} qcert;

typedef struct importer {
	sqlite3 *db;
	const import_opts *o;
	import_stats *st;
	money_tables *money;
	sqlite3_stmt *ins_sup, *ins_prod;
	/* [n]: the insert of n rows at once, prepared on first use */
	sqlite3_stmt *ins_tiers[TUPLES_AT_ONCE + 1], *ins_certs[TUPLES_AT_ONCE + 1];
	supmap sups;
	char **tax_path, **tax_name, **tax_terms;
	int ntax;
	char *tax_buf;
	strbuf certs, custom, attrs, scerts, markets, key, tmp;
	/* One buffer per bound text, so binds need no copies (SQLITE_STATIC). */
	strbuf title, desc, cat, port, sname, city;
	char unit[24];
	char why[256];
	int json;       /* rows are JSON offers, not CSV lines */
	long line;      /* the row being written */
	long fail_line; /* the row whose tier or certification the catalog refused */
	/* Tiers and certifications of the rows written since rows_flush. */
	qtier *qt;
	qcert *qc;
	size_t nqt, capqt, nqc, capqc;
	strbuf qnames;
	int qrows;
	/* The probe (see import_buffer): rows are checked, not written, up to
	 * the first good one; the real run then stays quiet about the rows
	 * before it, which the probe has reported. */
	int dry;
	long quiet_rows;
	cJSON *root; /* a JSON input, parsed once for both runs */
} importer;

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)tolower((unsigned char)*s)) * 1099511628211ull;
	return h;
}

static const char *supslot_key(const supslot *sl)
{
	return sl->len < SUPKEY_INLINE ? sl->key.s : sl->key.p;
}

/* The id of a known supplier key with hash h, or 0. */
static long supmap_find(const supmap *m, const char *key, size_t len, uint64_t h)
{
	if (m->cap == 0)
		return 0;
	for (size_t i = h & (m->cap - 1); m->slot[i].id; i = (i + 1) & (m->cap - 1)) {
		const supslot *sl = &m->slot[i];
		if (sl->hash == (uint32_t)(h >> 32) && sl->len == len &&
		    strcasecmp(supslot_key(sl), key) == 0)
			return sl->id;
	}
	return 0;
}

static void supmap_slot(supmap *m, const supslot *from)
{
	uint64_t h = hash_str(supslot_key(from));
	size_t i;

	for (i = h & (m->cap - 1); m->slot[i].id; i = (i + 1) & (m->cap - 1))
		;
	m->slot[i] = *from;
	m->n++;
}

/* Adds a key that supmap_find does not know. */
static void supmap_put(supmap *m, const char *key, size_t len, uint64_t h, long id)
{
	supslot sl;

	if (m->cap == 0 || (m->n + 1) * 2 >= m->cap) {
		supmap old = *m;
		m->cap = old.cap ? old.cap * 2 : 1024;
		m->slot = aligned_alloc(64, m->cap * sizeof *m->slot);
		if (m->slot == NULL)
			abort();
		memset(m->slot, 0, m->cap * sizeof *m->slot);
		m->n = 0;
		for (size_t j = 0; j < old.cap; j++)
			if (old.slot[j].id)
				supmap_slot(m, &old.slot[j]);
		free(old.slot);
	}
	memset(&sl, 0, sizeof sl);
	sl.hash = (uint32_t)(h >> 32);
	sl.len = (uint32_t)len;
	sl.id = id;
	if (len < SUPKEY_INLINE)
		memcpy(sl.key.s, key, len + 1);
	else
		sl.key.p = xstrdup(key);
	supmap_slot(m, &sl);
}

static void supmap_free(supmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->slot[i].id && m->slot[i].len >= SUPKEY_INLINE)
			free(m->slot[i].key.p);
	free(m->slot);
	memset(m, 0, sizeof *m);
}

static void supplier_key(strbuf *k, const char *name, const char *country)
{
	k->len = 0;
	sb_add(k, country);
	sb_addc(k, '\x1f');
	sb_add(k, name);
}

static int supmap_load(importer *im)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(im->db, "SELECT id, name, country FROM suppliers", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		uint64_t h;
		supplier_key(&im->key, (const char *)sqlite3_column_text(st, 1),
		             (const char *)sqlite3_column_text(st, 2));
		h = hash_str(im->key.s);
		if (supmap_find(&im->sups, im->key.s, im->key.len, h) == 0)
			supmap_put(&im->sups, im->key.s, im->key.len, h,
			           sqlite3_column_int64(st, 0));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The taxonomy lets "Yoga mats" or "yoga mat" land on sports/yoga/mats. */
static void taxonomy_load(importer *im)
{
	char *path, *s;

	if (im->o->assets == NULL)
		return;
	path = xasprintf("%s/taxonomy.tsv", im->o->assets);
	im->tax_buf = util_read_file(path, 1 << 20, NULL, NULL);
	free(path);
	if (im->tax_buf == NULL)
		return;
	s = strchr(im->tax_buf, '\n');
	while (s && *++s) {
		char *next = strchr(s, '\n'), *t1, *t2;
		if (next)
			*next = '\0';
		t1 = strchr(s, '\t');
		t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
		if (t1 && t2) {
			*t1 = *t2 = '\0';
			im->tax_path =
			        xrealloc(im->tax_path, (size_t)(im->ntax + 1) * sizeof(char *));
			im->tax_name =
			        xrealloc(im->tax_name, (size_t)(im->ntax + 1) * sizeof(char *));
			im->tax_terms =
			        xrealloc(im->tax_terms, (size_t)(im->ntax + 1) * sizeof(char *));
			im->tax_path[im->ntax] = s;
			im->tax_name[im->ntax] = t1 + 1;
			im->tax_terms[im->ntax] = t2 + 1;
			im->ntax++;
		}
		s = next;
	}
}

static const char *taxonomy_match(const importer *im, const char *s)
{
	size_t n = strlen(s);
	for (int i = 0; i < im->ntax; i++)
		if (strcmp(im->tax_path[i], s) == 0)
			return im->tax_path[i];
	for (int i = 0; i < im->ntax; i++)
		if (strcasecmp(im->tax_path[i], s) == 0 || strcasecmp(im->tax_name[i], s) == 0)
			return im->tax_path[i];
	/* A buyer's term, singular or with a plural s. */
	for (int pass = 0; pass < 2; pass++) {
		size_t k = pass ? n - 1 : n;
		if (pass && (n < 2 || tolower((unsigned char)s[n - 1]) != 's'))
			break;
		for (int i = 0; i < im->ntax; i++) {
			const char *t = im->tax_terms[i];
			while (*t) {
				size_t m = strcspn(t, ",");
				if (m == k && strncasecmp(t, s, k) == 0)
					return im->tax_path[i];
				t += m;
				if (*t)
					t++;
			}
		}
	}
	return NULL;
}

/* ---- parsing values ---- */

static int fail_row(importer *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail_row(importer *im, const char *fmt, ...)
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

static int empty(const char *s)
{
	if (s == NULL)
		return 1;
	while (isspace((unsigned char)*s))
		s++;
	return *s == '\0';
}

/* Digits with at most one decimal point and 15 significant digits ("13.78"),
 * as nearly every price in a file is: the whole digits over a power of ten
 * are exact doubles, so one division rounds exactly as strtod does
 * (Clinger's fast path), at a fraction of its cost. 0 if s is not one. */
static int plain_decimal(const char *s, double *out)
{
	static const double pow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
	                               1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
	uint64_t m = 0;
	int digits = 0, frac = -1;

	if (FLT_EVAL_METHOD != 0)
		return 0; /* extended precision would round twice */
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			m = m * 10 + (uint64_t)(*s - '0');
			digits++;
			frac += frac >= 0;
		} else if (*s == '.' && frac < 0 && digits)
			frac = 0;
		else
			return 0;
	}
	if (digits == 0 || digits > 15 || frac == 0)
		return 0;
	*out = frac > 0 ? (double)m / pow10[frac] : (double)m;
	return 1;
}

/* 1 if s is an exponent ("e3", "E+03", "e-2") and not a word ("each"). */
static int is_exponent(const char *s)
{
	if (*s != 'e' && *s != 'E')
		return 0;
	s++;
	if (*s == '+' || *s == '-')
		s++;
	return isdigit((unsigned char)*s);
}

/* A number that may carry a currency ("US$ 2.50", "2,50 EUR", "1,234.5"). */
static int parse_amount(const char *s, double *out, const char **cur)
{
	char buf[64], sym[16];
	size_t k = 0, ns = 0;
	int commas = 0, dots = 0;
	const char *p;
	char *end;

	*cur = NULL;
	if (plain_decimal(s, out))
		return 0;
	for (p = s; *p && k + 1 < sizeof buf; p++) {
		unsigned char c = (unsigned char)*p;
		if (isdigit(c) || c == '.' || c == ',' || (c == '-' && k == 0)) {
			commas += c == ',';
			dots += c == '.';
			buf[k++] = (char)c;
		} else if (k > 0 && ns == 0 && is_exponent(p) && k + 3 < sizeof buf) {
			/* "1E+03", "2.5e-1": the exponent and its sign go in whole */
			buf[k++] = 'e';
			if (p[1] == '+' || p[1] == '-')
				buf[k++] = *++p;
		} else if (isspace(c)) {
			continue;
		} else if (ns + 1 < sizeof sym && k == 0) {
			sym[ns++] = (char)c;
		} else if (ns + 1 < sizeof sym && k > 0) {
			sym[ns++] = (char)c; /* a trailing code: "2.50 EUR" */
		} else
			return -1;
	}
	buf[k] = '\0';
	sym[ns] = '\0';
	if (k == 0 || *p)
		return -1;
	if (ns && (*cur = import_currency(sym)) == NULL)
		return -1;
	/* "2,50" is a decimal comma; "1,234.50" and "1,234" group thousands. */
	if (commas == 1 && dots == 0 && strlen(strchr(buf, ',') + 1) != 3)
		*strchr(buf, ',') = '.';
	else {
		size_t j = 0;
		for (size_t i = 0; i < k; i++)
			if (buf[i] != ',')
				buf[j++] = buf[i];
		buf[j] = '\0';
	}
	errno = 0;
	*out = strtod(buf, &end);
	return errno || *end || !isfinite(*out) ? -1 : 0;
}

/* A price: an amount, or a range "2.10-2.50" (the higher end: the price at
 * the smallest order). */
static int parse_price(const char *s, double *out, const char **cur)
{
	const char *dash = strchr(s + 1, '-');
	double a, b;
	const char *c2;

	if (dash && dash[-1] != 'e' && dash[-1] != 'E') {
		char left[64];
		size_t n = (size_t)(dash - s);
		if (n >= sizeof left)
			return -1;
		memcpy(left, s, n);
		left[n] = '\0';
		if (parse_amount(left, &a, cur) < 0 || parse_amount(dash + 1, &b, &c2) < 0)
			return -1;
		if (*cur == NULL)
			*cur = c2;
		*out = a > b ? a : b;
	} else if (parse_amount(s, out, cur) < 0)
		return -1;
	return *out > 0 && *out < 1e9 ? 0 : -1;
}

/* A count written with a point or an exponent ("1.5e3", "1E+03", "1e30"),
 * from start (its first digit; at stops the plain digits): a whole number
 * up to a billion, or -1. *after is where the number ends. */
static int number_tail(const char *start, const char *at, long *v, const char **after)
{
	char *end;
	double d;

	if (memchr(start, ',', (size_t)(at - start)))
		return -1; /* "1,000.5": grouped digits with a fraction */
	errno = 0;
	d = strtod(start, &end);
	if (errno || !isfinite(d) || d != floor(d) || d < 0 || d > 1e9)
		return -1;
	*v = (long)d;
	*after = end;
	return 0;
}

/* A whole count with an optional unit ("1,000 pcs", "500 pieces", "2 weeks"). */
static int parse_count(const char *s, long *out, const char **unit)
{
	long v = 0;
	int digits = 0;
	const char *start;

	while (isspace((unsigned char)*s))
		s++;
	start = s;
	for (; *s; s++) {
		if (isdigit((unsigned char)*s)) {
			if (v > 1000000000L)
				return -1;
			v = v * 10 + (*s - '0');
			digits++;
		} else if (*s != ',' || !digits)
			break;
	}
	if (!digits)
		return -1;
	if ((*s == '.' && isdigit((unsigned char)s[1])) || is_exponent(s)) {
		const char *after;
		if (number_tail(start, s, &v, &after) < 0)
			return -1;
		s = after;
	}
	/* Ranges ("15-20 days") take the upper end: promises are ranges. */
	if (*s == '-' && isdigit((unsigned char)s[1])) {
		long hi;
		const char *u2;
		if (parse_count(s + 1, &hi, &u2) < 0)
			return -1;
		*out = hi > v ? hi : v;
		*unit = u2;
		return 0;
	}
	while (isspace((unsigned char)*s) || *s == '+')
		s++;
	*unit = s;
	*out = v;
	return 0;
}

static int parse_real(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	while (isspace((unsigned char)*end))
		end++;
	return errno || end == s || *end || !isfinite(*out) ? -1 : 0;
}

/* A share: "0.95", "95%" or "95" all mean 0.95. */
static int parse_rate(const char *s, double *out)
{
	char buf[32];
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n && s[n - 1] == '%')
		n--;
	if (n == 0 || n >= sizeof buf)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (parse_real(buf, out) < 0 || *out < 0)
		return -1;
	if (*out > 1)
		*out /= 100;
	return *out <= 1 ? 0 : -1;
}

static int parse_bool(const char *s, int *out)
{
	static const char *const yes[] = {"1", "yes", "y", "true", "x", "available", "verified"};
	static const char *const no[] = {"0", "no", "n", "false", "none", "unavailable", "-"};
	size_t n = strlen(s);

	trim_span(&s, &n);
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		if (norm_eq(yes[i], s, n)) {
			*out = 1;
			return 0;
		}
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		if (norm_eq(no[i], s, n)) {
			*out = 0;
			return 0;
		}
	return -1;
}

/* Plain ASCII without NUL bytes, most fields of most files, needs neither
 * the NUL nor the UTF-8 check. Eight bytes at a time: a byte with its top
 * bit set, or a zero byte (the classic (w - 0x01..) & ~w & 0x80.. test),
 * sends the field to the closer look. */
static int plain_ascii(const char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		if ((w & highs) || ((w - ones) & ~w & highs))
			return 0;
	}
	for (; i < n; i++)
		if ((unsigned char)s[i] >= 0x80 || s[i] == '\0')
			return 0;
	return 1;
}

/* Text for the catalog: trimmed, control characters (escapes, newlines)
 * turned into spaces, and C1 controls and bidi controls (U+202E...)
 * dropped as text_sanitize does, so nothing from a file can drive a
 * terminal or an export read on one. */
static char *clean_text(const char *s, strbuf *b)
{
	size_t n = strlen(s);

	trim_span(&s, &n);
	b->len = 0;
	sb_addn(b, s, n);
	if (!plain_ascii(b->s, b->len)) {
		char *safe = text_sanitize(b->s, 0);
		b->len = 0;
		sb_add(b, safe);
		free(safe);
		return b->s;
	}
	for (size_t i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->s[i];
		if (c < 0x20 || c == 0x7f)
			b->s[i] = ' ';
	}
	return b->s;
}

typedef struct tier {
	long qty;
	double price;
} tier;

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

	if (parse_price(val, &p, &c) < 0)
		return fail_row(im, "price '%.40s' is not a positive number", val);
	if (c) {
		if (*cur && strcmp(*cur, c) != 0)
			return fail_row(im, "prices in two currencies (%s and %s)", *cur, c);
		*cur = c;
	}
	for (int i = 0; i < *n; i++)
		if (t[i].qty == qty)
			return 0; /* the first price given for a quantity wins */
	if (*n >= MAX_AT)
		return fail_row(im, "more than %d price tiers", MAX_AT);
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
			return fail_row(im, "price tier '%.40s' is too long", s);
		memcpy(item, s, k);
		item[k] = '\0';
		s += k;
		if (*s)
			s++;
		if (empty(item))
			continue;
		colon = strchr(item, ':');
		if (colon == NULL)
			colon = strchr(item, '=');
		if (colon == NULL)
			return fail_row(im, "price tier '%s' is not QTY:PRICE", item);
		/* "100-499: 2.50" applies from 100 on: a tier starts at the lower
		 * end of its range (parse_count takes the upper end of "15-20 days") */
		dash = strchr(item, '-');
		if (dash != NULL && dash > item && dash < colon &&
		    isdigit((unsigned char)dash[-1]) && isdigit((unsigned char)dash[1]))
			*dash = '\0';
		if (parse_count(item, &qty, &unit) < 0 || qty <= 0)
			return fail_row(im, "price tier '%s' has no quantity", item);
		if (add_tier(im, t, n, qty, colon + 1, cur) < 0)
			return -1;
	}
	return 0;
}

/* '|'-joined canonical certification names, "|CE|RoHS|" when bars is set. */
static void join_certs(const char *s, strbuf *out, int bars)
{
	out->len = 0;
	sb_addn(out, "", 0);
	while (s && *s) {
		size_t n = strcspn(s, ",;|/\n");
		const char *a = s;
		size_t m = n;
		trim_span(&a, &m);
		if (m > 0 && m < 64) {
			const char *canon = cert_canon(a, m);
			char pat[66], *name = pat + 1;
			/* No printf here: this runs for every certification of
			 * every row. */
			if (canon)
				m = strlen(canon);
			memcpy(name, canon ? canon : a, m);
			if (!canon)
				for (size_t i = 0; i < m; i++)
					if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
						name[i] = ' ';
			pat[0] = pat[m + 1] = '|';
			pat[m + 2] = '\0';
			if (strstr(out->s, pat) == NULL) {
				name[m] = '\0';
				if (out->len == 0 && bars)
					sb_addc(out, '|');
				else if (out->len && !bars)
					sb_addc(out, '|');
				sb_add(out, name);
				if (bars)
					sb_addc(out, '|');
			}
		}
		s += n;
		if (*s)
			s++;
	}
}

static int is_eu_member(const char *code)
{
	return strlen(code) == 2 &&
	       strstr(" AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI "
	              "ES SE ",
	              code) != NULL;
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
		trim_span(&a, &m);
		s += n;
		if (*s)
			s++;
		if (m == 0)
			continue;
		if (m >= sizeof item)
			return fail_row(im, "export market '%.40s' is not a country", a);
		memcpy(item, a, m);
		item[m] = '\0';
		/* Space-separated codes ("US DE GB") are common too. */
		if (strchr(item, ' ') && import_country(item) == NULL) {
			char *tok, *save = NULL;
			for (tok = strtok_r(item, " ", &save); tok;
			     tok = strtok_r(NULL, " ", &save)) {
				const char *c = import_country(tok);
				if (c == NULL)
					return fail_row(im, "export market '%s' is not a country",
					                tok);
				sb_printf(out, "%s ", c);
				eu |= is_eu_member(c);
			}
			continue;
		}
		const char *c = import_country(item);
		if (c == NULL)
			return fail_row(im, "export market '%s' is not a country", item);
		sb_printf(out, "%s ", c);
		eu |= is_eu_member(c);
	}
	if (eu && strstr(out->s, " EU ") == NULL)
		sb_add(out, "EU ");
	if (out->len == 1)
		out->len = 0, out->s[0] = '\0';
	return 0;
}

static const char *parse_incoterm(const char *s)
{
	static const char *const terms[] = {"EXW", "FCA", "FAS", "FOB", "CFR", "CIF",
	                                    "CPT", "CIP", "DAP", "DPU", "DDP"};
	size_t n = strlen(s);

	trim_span(&s, &n);
	if (n > 3 && isspace((unsigned char)s[3]))
		n = 3; /* "FOB Shenzhen" */
	for (size_t i = 0; i < sizeof terms / sizeof *terms; i++)
		if (norm_eq(terms[i], s, n))
			return terms[i];
	return NULL;
}

/* Attributes: a JSON object given as is, "k=v; k=v", plus unknown columns. */
static int build_attrs(importer *im, const rec *r)
{
	cJSON *o = NULL;
	char *text;

	if (!empty(r->f[F_ATTRS])) {
		const char *s = r->f[F_ATTRS];
		while (isspace((unsigned char)*s))
			s++;
		if (*s == '{') {
			o = cJSON_Parse(s);
			if (o == NULL || !cJSON_IsObject(o)) {
				cJSON_Delete(o);
				return fail_row(im, "attributes are not a JSON object");
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
				trim_span((const char **)&k, &kn);
				trim_span((const char **)&v, &vn);
				k[kn] = v[vn] = '\0';
				if (*k && *v && !cJSON_HasObjectItem(o, k))
					cJSON_AddStringToObject(o, text_lower(k), v);
			}
			free(copy);
		}
	}
	for (int i = 0; i < r->nattr; i++) {
		char key[64];
		if (empty(r->attr_val[i]))
			continue;
		if (o == NULL)
			o = cJSON_CreateObject();
		header_norm(r->attr_key[i], strlen(r->attr_key[i]), key, sizeof key);
		if (*key && !cJSON_HasObjectItem(o, key))
			cJSON_AddStringToObject(o, key, clean_text(r->attr_val[i], &im->tmp));
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

	if (empty(s)) {
		sqlite3_bind_null(st, i);
		return 0;
	}
	if ((rate ? parse_rate(s, &v) : parse_real(s, &v)) < 0 || v < lo || v > hi)
		return fail_row(im, "%s '%.40s' is not a number from %g to %g", what, s, lo, hi);
	sqlite3_bind_double(st, i, v);
	return 0;
}

static int bind_opt_int(importer *im, sqlite3_stmt *st, int i, const char *s, const char *what,
                        long lo, long hi)
{
	long v;
	const char *unit;

	if (empty(s)) {
		sqlite3_bind_null(st, i);
		return 0;
	}
	if (parse_count(s, &v, &unit) < 0 || v < lo || v > hi)
		return fail_row(im, "%s '%.40s' is not a whole number from %ld to %ld", what, s, lo,
		                hi);
	sqlite3_bind_int64(st, i, v);
	return 0;
}

/* Row errors return -1 (the row is skipped); -2 means the catalog itself
 * failed and the whole import must roll back. */
#define DB_FAILED (-2)

static int db_fail(importer *im)
{
	snprintf(im->why, sizeof im->why, "the catalog refused a write: %s",
	         sqlite3_errmsg(im->db));
	return DB_FAILED;
}

static int supplier_type(importer *im, const char *t, const char **type)
{
	*type = "manufacturer";
	if (empty(t))
		return 0;
	while (isspace((unsigned char)*t))
		t++;
	if (strncasecmp(t, "trad", 4) == 0 || strncasecmp(t, "agent", 5) == 0 ||
	    strncasecmp(t, "wholesal", 8) == 0 || strncasecmp(t, "distribut", 9) == 0)
		*type = "trading";
	else if (strncasecmp(t, "manuf", 5) && strncasecmp(t, "factory", 7) &&
	         strncasecmp(t, "producer", 8))
		return fail_row(im, "business type '%.40s' is not manufacturer or trading", t);
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
	if (!empty(r->f[S_CITY]))
		sqlite3_bind_text(st, 3, clean_text(r->f[S_CITY], &im->city), -1, SQLITE_STATIC);
	if (supplier_type(im, r->f[S_TYPE], &type) < 0)
		return -1;
	sqlite3_bind_text(st, 4, type, -1, SQLITE_STATIC);
	for (int i = 0; i < 2; i++) {
		const char *v = r->f[i ? S_TA : S_VERIFIED];
		int b = 0;
		if (!empty(v) && parse_bool(v, &b) < 0)
			return fail_row(im, "%s '%.40s' is not yes or no",
			                i ? "trade assurance" : "verified", v);
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
	if (empty(r->f[S_REVIEWS]))
		sqlite3_bind_int(st, 9, 0);
	if (empty(r->f[S_MARKETS]))
		sqlite3_bind_text(st, 15, "", 0, SQLITE_STATIC);
	else if (parse_markets(im, r->f[S_MARKETS], &im->markets) < 0)
		return -1;
	else
		sqlite3_bind_text(st, 15, im->markets.s, (int)im->markets.len, SQLITE_TRANSIENT);
	join_certs(r->f[S_CERTS], &im->scerts, 1);
	sqlite3_bind_text(st, 16, im->scerts.s, (int)im->scerts.len, SQLITE_TRANSIENT);
	return 0;
}

/* The supplier's id: a known one (same name and country), or a new row. */
static int supplier_id(importer *im, const rec *r, const char *country, long *id)
{
	const char *name = clean_text(r->f[S_NAME], &im->sname);
	uint64_t h;

	supplier_key(&im->key, name, country);
	h = hash_str(im->key.s);
	*id = supmap_find(&im->sups, im->key.s, im->key.len, h);
	if (*id > 0)
		return 0;
	if (supplier_bind(im, r, country) < 0)
		return -1;
	sqlite3_bind_text(im->ins_sup, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(im->ins_sup) != SQLITE_DONE)
		return db_fail(im);
	*id = sqlite3_last_insert_rowid(im->db);
	supmap_put(&im->sups, im->key.s, im->key.len, h, *id);
	im->st->new_suppliers++;
	return 0;
}

/* The probe's part of supplier_id: a new supplier's columns are checked. */
static int supplier_check(importer *im, const rec *r, const char *country)
{
	supplier_key(&im->key, clean_text(r->f[S_NAME], &im->sname), country);
	if (supmap_find(&im->sups, im->key.s, im->key.len, hash_str(im->key.s)) > 0)
		return 0;
	return supplier_bind(im, r, country);
}

static const char *moq_unit(const rec *r, const char *from_moq, char *buf, size_t cap)
{
	const char *u = empty(r->f[F_MOQ_UNIT]) ? from_moq : r->f[F_MOQ_UNIT];
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
	if (!empty(r->f[F_TIERS]) && parse_tiers(im, r->f[F_TIERS], t, nt, cur) < 0)
		return -1;
	for (int i = 0; i < r->nat; i++)
		if (!empty(r->at_val[i]) &&
		    add_tier(im, t, nt, r->at_qty[i], r->at_val[i], cur) < 0)
			return -1;
	tiers_sort(t, *nt);
	if (*moq == 0)
		*moq = *nt ? t[0].qty : 1;
	if (!empty(r->f[F_PRICE])) {
		double p;
		const char *c;
		/* checked even where the tiers already price the MOQ */
		if (parse_price(r->f[F_PRICE], &p, &c) < 0)
			return fail_row(im, "price '%.40s' is not a positive number",
			                r->f[F_PRICE]);
		if ((*nt == 0 || t[0].qty > *moq)) {
			if (add_tier(im, t, nt, *moq, r->f[F_PRICE], cur) < 0)
				return -1;
			tiers_sort(t, *nt);
		}
	}
	if (*nt == 0)
		return fail_row(im, "no price (give a price column, price_QTY columns or tiers)");
	for (int i = 1; i < *nt; i++)
		if (t[i].price > t[i - 1].price)
			return fail_row(im,
			                "the price rises with quantity (%g from %ld, %g from %ld)",
			                t[i - 1].price, t[i - 1].qty, t[i].price, t[i].qty);
	return 0;
}

/* Checks the product's own columns and binds them to the insert. */
static int product_bind(importer *im, const rec *r, tier *t, int *nt)
{
	sqlite3_stmt *st = im->ins_prod;
	long moq = 0, lead;
	int samples = 0;
	const char *cur = r->price_cur, *from_moq = NULL, *incoterm = NULL, *category;
	double lo, hi;

	/* Every parameter gets bound below, NULL included: clearing them all
	 * first cost more than binding a few. */
	sqlite3_reset(st);
	if (!empty(r->f[F_MOQ]) && (parse_count(r->f[F_MOQ], &moq, &from_moq) < 0 || moq <= 0))
		return fail_row(im, "MOQ '%.40s' is not a whole number", r->f[F_MOQ]);
	if (!empty(r->f[F_CURRENCY]) && (cur = import_currency(r->f[F_CURRENCY])) == NULL)
		return fail_row(im, "currency '%.40s' is unknown (use an ISO code like USD)",
		                r->f[F_CURRENCY]);
	if (offer_tiers(im, r, &moq, t, nt, &cur) < 0)
		return -1;
	if (cur == NULL)
		cur = "USD";
	if (im->money && !money_known_currency(im->money, cur))
		return fail_row(im, "currency %s is not in the FX table (assets/fx.tsv)", cur);
	lo = hi = t[0].price;
	for (int i = 1; i < *nt; i++) {
		lo = t[i].price < lo ? t[i].price : lo;
		hi = t[i].price > hi ? t[i].price : hi;
	}
	if (!empty(r->f[F_INCOTERM]) && (incoterm = parse_incoterm(r->f[F_INCOTERM])) == NULL)
		return fail_row(im, "incoterm '%.40s' is not an Incoterm (EXW, FOB, CIF, DDP...)",
		                r->f[F_INCOTERM]);
	if (!empty(r->f[F_SAMPLES]) && parse_bool(r->f[F_SAMPLES], &samples) < 0) {
		double sp;
		const char *c;
		/* A sample column holding a price means samples are available. */
		if (parse_amount(r->f[F_SAMPLES], &sp, &c) < 0)
			return fail_row(im, "samples '%.40s' is not yes or no", r->f[F_SAMPLES]);
		samples = 1;
	}
	if (!empty(r->f[F_LEAD])) {
		const char *u;
		if (parse_count(r->f[F_LEAD], &lead, &u) < 0 || lead > 3650)
			return fail_row(im, "lead time '%.40s' is not a number of days",
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
	join_certs(r->f[F_CERTS], &im->certs, 1);
	join_certs(r->f[F_CUSTOM], &im->custom, 0);
	text_lower(im->custom.s);
	sqlite3_bind_text(st, 2, clean_text(r->f[F_TITLE], &im->title), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, empty(r->f[F_DESC]) ? "" : clean_text(r->f[F_DESC], &im->desc), -1,
	                  SQLITE_STATIC);
	category = empty(r->f[F_CATEGORY]) ? "" : clean_text(r->f[F_CATEGORY], &im->cat);
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
	sqlite3_bind_int(st, 9, samples);
	sqlite3_bind_text(st, 11, im->custom.s, (int)im->custom.len, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, incoterm, -1, SQLITE_STATIC); /* NULL binds NULL */
	if (!empty(r->f[F_PORT]))
		sqlite3_bind_text(st, 13, clean_text(r->f[F_PORT], &im->port), -1, SQLITE_STATIC);
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
static sqlite3_stmt *tiers_insert(importer *im, int n)
{
	return rows_insert(im, im->ins_tiers, n, "INSERT OR FAIL INTO price_tiers VALUES ",
	                   "(?, ?, ?)");
}

static sqlite3_stmt *certs_insert(importer *im, int n)
{
	return rows_insert(im, im->ins_certs, n, "INSERT OR IGNORE INTO product_certs VALUES ",
	                   "(?, ?)");
}

/* Writes the pending tiers and certifications: a statement's start and
 * finish cost about as much as a row, so they go in TUPLES_AT_ONCE at a
 * time rather than a statement per product. 0, or DB_FAILED with
 * fail_line the row of the refused one (the rows before it in an OR FAIL
 * statement stay written, so sqlite3_changes() counts them). */
static int rows_flush(importer *im)
{
	sqlite3_stmt *st;

	for (size_t i = 0; i < im->nqt; i += TUPLES_AT_ONCE) {
		int n = im->nqt - i < TUPLES_AT_ONCE ? (int)(im->nqt - i) : TUPLES_AT_ONCE;
		if ((st = tiers_insert(im, n)) == NULL)
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
		if ((st = certs_insert(im, n)) == NULL)
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
static int offer_write(importer *im, const rec *r)
{
	tier t[MAX_AT + 1];
	int nt = 0, rc;
	long sid, pid;
	const char *country;

	if (empty(r->f[F_TITLE]))
		return fail_row(im, "no product title");
	if (empty(r->f[S_NAME]))
		return fail_row(im, "no supplier name");
	if (empty(r->f[S_COUNTRY]))
		return fail_row(im, "no supplier country");
	if ((country = import_country(r->f[S_COUNTRY])) == NULL || strcmp(country, "EU") == 0)
		return fail_row(im,
		                "country '%.40s' is not a country (use a code like CN or a name)",
		                r->f[S_COUNTRY]);
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
		return rows_flush(im);
	return 0;
}

/* ---- CSV (RFC 4180, plus what spreadsheets really write) ---- */

typedef struct csv {
	const char *p, *end;
	char delim;
	unsigned char stop[256]; /* 1 for the bytes that end an unquoted field */
	long line;               /* line number at p */
	strbuf buf;              /* the record's fields, each NUL-terminated */
	size_t *off;             /* field starts in buf */
	int nf, cap;
} csv;

static void csv_field_start(csv *c)
{
	if (c->nf == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->off = xrealloc(c->off, (size_t)c->cap * sizeof *c->off);
	}
	c->off[c->nf++] = c->buf.len;
}

/* Skips the rest of a broken record: to the next line end outside quotes
 * is unknowable, so the next physical line it is. */
static void csv_skip_line(csv *c)
{
	const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));

	c->p = nl ? nl + 1 : c->end;
	if (nl)
		c->line++;
}

/* The one check of a value for CSV and JSON alike: -1 with why set when
 * the value (s, n bytes) cannot be imported. It is named by its JSON key,
 * or as CSV field i when key is NULL (named only on failure: this runs for
 * every field). JSON_TOO_LONG is what the JSON reader left of an over-long
 * value. */
static int field_check(const char *s, size_t n, const char *key, int i, char *why, size_t whylen)
{
	const char *bad;
	char *safe;

	if (n > IMPORT_MAX_FIELD || (n == sizeof JSON_TOO_LONG - 1 && !strcmp(s, JSON_TOO_LONG)))
		bad = "is longer than 64 KB";
	else if (plain_ascii(s, n))
		return 0;
	else if (memchr(s, '\0', n))
		bad = "holds a NUL byte";
	else if (!text_valid_utf8(s, n))
		bad = "is not valid UTF-8 (save the file as UTF-8)";
	else
		return 0;
	if (key == NULL) {
		snprintf(why, whylen, "field %d %s", i, bad);
		return -1;
	}
	safe = text_sanitize(key, 0);
	snprintf(why, whylen, "\"%.40s\" %s", safe, bad);
	free(safe);
	return -1;
}

/* Reads one record into c->buf/c->off. Returns 1 with a record, 0 at the
 * end, -1 for a broken record (why says what; the parser has moved past it). */
static int csv_next(csv *c, long *rec_line, char *why, size_t whylen)
{
	int bad = 0;

	/* Blank lines are not records. */
	while (c->p < c->end && (*c->p == '\n' || *c->p == '\r')) {
		if (*c->p == '\n')
			c->line++;
		c->p++;
	}
	if (c->p >= c->end)
		return 0;
	*rec_line = c->line;
	c->buf.len = 0;
	c->nf = 0;
	for (;;) {
		size_t start = c->buf.len;
		csv_field_start(c);
		if (c->p < c->end && *c->p == '"') {
			c->p++;
			for (;;) {
				const char *q = memchr(c->p, '"', (size_t)(c->end - c->p));
				if (q == NULL) {
					snprintf(why, whylen, "a quoted field never ends");
					c->p = c->end;
					return -1;
				}
				for (const char *x = c->p;
				     (x = memchr(x, '\n', (size_t)(q - x))) != NULL; x++)
					c->line++;
				sb_addn(&c->buf, c->p, (size_t)(q - c->p));
				c->p = q + 1;
				if (c->p < c->end && *c->p == '"') {
					sb_addc(&c->buf, '"');
					c->p++;
					continue;
				}
				break;
			}
			if (c->p < c->end && *c->p != c->delim && *c->p != '\n' && *c->p != '\r') {
				snprintf(why, whylen, "text after the closing quote of field %d",
				         c->nf);
				csv_skip_line(c);
				return -1;
			}
		} else {
			const char *x = c->p;
			while (x < c->end && !c->stop[(unsigned char)*x])
				x++;
			sb_addn(&c->buf, c->p, (size_t)(x - c->p));
			c->p = x;
		}
		if (!bad &&
		    field_check(c->buf.s + start, c->buf.len - start, NULL, c->nf, why, whylen) < 0)
			bad = 1;
		sb_addc(&c->buf, '\0');
		if (c->p < c->end && *c->p == c->delim) {
			c->p++;
			continue;
		}
		if (c->p < c->end && *c->p == '\r')
			c->p++;
		if (c->p < c->end && *c->p == '\n') {
			c->p++;
			c->line++;
		}
		return bad ? -1 : 1;
	}
}

static const char *csv_field(const csv *c, int i)
{
	return c->buf.s + c->off[i];
}

/* The delimiter: the most frequent of , ; TAB on the header line. */
static char csv_sniff(const char *p, const char *end)
{
	int n[3] = {0, 0, 0}, q = 0;
	const char d[3] = {',', ';', '\t'};

	for (; p < end && (q || *p != '\n'); p++) {
		if (*p == '"')
			q = !q;
		for (int i = 0; i < 3 && !q; i++)
			n[i] += *p == d[i];
	}
	return n[1] > n[0] && n[1] >= n[2] ? ';' : n[2] > n[0] ? '\t' : ',';
}

typedef struct colmap {
	int *field;
	long *qty;
	const char **cur;
	char **name;
	int n;
} colmap;

static void colmap_free(colmap *m)
{
	for (int i = 0; i < m->n; i++)
		free(m->name[i]);
	free(m->field);
	free(m->qty);
	free(m->cur);
	free(m->name);
}

/* Says which columns are not kept: attributes beyond MAX_ATTRS and price
 * columns beyond MAX_AT (the first few by name, then how many more). */
static void colmap_warn_dropped(importer *im, const colmap *m, int ndropped)
{
	strbuf b;
	int listed = 0;
	char *safe;

	if (ndropped == 0 || im->o->warning == NULL)
		return;
	sb_init(&b);
	sb_printf(&b,
	          "%s:1: %d column%s not kept (at most %d attributes and %d price_QTY columns): ",
	          im->o->name, ndropped, ndropped == 1 ? " is" : "s are", MAX_ATTRS, MAX_AT);
	for (int i = 0; i < m->n && listed < 5; i++)
		if (m->field[i] == F_IGNORE && m->name[i][0] && m->qty[i] < 0)
			sb_printf(&b, "%s%.40s", listed++ ? ", " : "", m->name[i]);
	if (ndropped > listed)
		sb_printf(&b, " and %d more", ndropped - listed);
	safe = text_sanitize(b.s, 0);
	im->o->warning(safe, im->o->arg);
	free(safe);
	sb_free(&b);
}

static void dropped_warn(importer *im, long offer, int n)
{
	char msg[320], *safe;

	if (im->o->warning == NULL)
		return;
	snprintf(msg, sizeof msg,
	         "%s: offer %ld: %d member%s not kept (at most %d attributes and %d price_QTY "
	         "members; later offers are not named)",
	         im->o->name, offer, n, n == 1 ? " is" : "s are", MAX_ATTRS, MAX_AT);
	safe = text_sanitize(msg, 0);
	im->o->warning(safe, im->o->arg);
	free(safe);
}

static int colmap_build(importer *im, colmap *m, const csv *c, const char *name, souk_err *e)
{
	int seen[NFIELDS] = {0}, nattr = 0, nat = 0, ndropped = 0;

	m->n = c->nf;
	m->field = xcalloc((size_t)c->nf, sizeof *m->field);
	m->qty = xcalloc((size_t)c->nf, sizeof *m->qty);
	m->cur = xcalloc((size_t)c->nf, sizeof *m->cur);
	m->name = xcalloc((size_t)c->nf, sizeof *m->name);
	for (int i = 0; i < c->nf; i++) {
		const char *h = csv_field(c, i);
		m->name[i] = xstrdup(h);
		m->field[i] = header_field(h, strlen(h), 0, &m->qty[i], &m->cur[i]);
		/* A second column for the same field is kept as an attribute. */
		if (m->field[i] >= 0 && seen[m->field[i]]++)
			m->field[i] = F_ATTR;
		/* past the limits: ignored, and marked (qty -1) for the warning */
		if ((m->field[i] == F_ATTR && nattr++ == MAX_ATTRS) ||
		    (m->field[i] == F_PRICE_AT && nat++ == MAX_AT)) {
			nattr -= m->field[i] == F_ATTR;
			nat -= m->field[i] == F_PRICE_AT;
			m->field[i] = F_IGNORE;
			m->qty[i] = -1;
			ndropped++;
		}
	}
	if (im->dry) /* the probe always reads the header first */
		colmap_warn_dropped(im, m, ndropped);
	if (!seen[F_TITLE] || !seen[S_NAME] || !seen[S_COUNTRY]) {
		err_set(e,
		        "%s:1: the header needs columns for the product title (title, product), "
		        "the supplier (supplier, company) and its country (country)",
		        name);
		return -1;
	}
	return 0;
}

/* ---- driving an import ---- */

static const char sql_sup[] =
        "INSERT INTO suppliers(name, country, city, business_type, verified, trade_assurance, "
        "year_established, rating, review_count, response_rate, response_hours, on_time_rate, "
        "reorder_rate, staff, export_markets, certifications) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
        "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";
static const char sql_prod[] =
        "INSERT INTO products(supplier_id, title, description, category, attributes, moq, "
        "moq_unit, lead_time_days, samples, sample_price, customization, incoterm, port, currency, "
        "weight_kg, volume_m3, price_lo, price_hi, certs) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
        "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)";

static int cancelled(const importer *im)
{
	return im->o->cancel && *im->o->cancel;
}

/* The catalog refused a write while row n was written: the import stops.
 * A refused tier or certification written later names its own row. */
static void write_failed(importer *im, long n, souk_err *e)
{
	if (im->fail_line)
		n = im->fail_line;
	err_set(e, im->json ? "%s: offer %ld: %s" : "%s:%ld: %s", im->o->name, n, im->why);
}

/* Handles the outcome of row n (a CSV line or a JSON offer): report it,
 * or (strict, or a catalog failure) stop the import. Returns -1 to stop.
 * Where the row is gets written only for a failed one. */
static int row_done(importer *im, int rc, long n, souk_err *e)
{
	char where[512];

	if (rc == 0) {
		im->st->imported++;
		if (im->dry) {
			im->quiet_rows = im->st->rows;
			return -1; /* the probe has seen enough */
		}
		return 0;
	}
	if (rc == DB_FAILED) {
		write_failed(im, n, e);
		return -1;
	}
	snprintf(where, sizeof where, im->json ? "%s: offer %ld" : "%s:%ld", im->o->name, n);
	im->st->rejected++;
	if (im->o->strict) {
		err_set(e, "%s: %s; --strict rejects the whole file on a bad row", where, im->why);
		return -1;
	}
	if (im->o->row_error && im->st->rows >= im->quiet_rows)
		im->o->row_error(where, im->why, im->o->arg);
	return 0;
}

static int import_csv(importer *im, const char *data, size_t len, souk_err *e)
{
	csv c = {0};
	colmap m = {0};
	long line = 1;
	int rc = -1, r;
	char why[160];
	const char *name = im->o->name;

	c.p = data;
	c.end = data + len;
	c.line = 1;
	c.delim = csv_sniff(c.p, c.end);
	c.stop[(unsigned char)c.delim] = c.stop['\n'] = c.stop['\r'] = 1;
	r = csv_next(&c, &line, why, sizeof why);
	if (r <= 0) {
		err_set(e,
		        r == 0 ? "%s: no header line (the first line names the columns)"
		               : "%s:1: %s",
		        name, why);
		goto out;
	}
	if (colmap_build(im, &m, &c, name, e) < 0)
		goto out;
	while ((r = csv_next(&c, &line, why, sizeof why)) != 0) {
		rec rc_;
		/* Only what a row sets needs clearing: the arrays are over a
		 * kilobyte, counted by nat and nattr. */
		memset(rc_.f, 0, sizeof rc_.f);
		rc_.price_cur = NULL;
		rc_.nat = rc_.nattr = 0;
		im->st->rows++;
		if ((im->st->rows & 1023) == 0) {
			if (cancelled(im)) {
				err_set(e, "interrupted");
				goto out;
			}
			if (im->o->progress)
				im->o->progress("importing", (double)(c.p - data) / (double)len,
				                im->o->arg);
		}
		if (r < 0) {
			snprintf(im->why, sizeof im->why, "%s", why);
			if (row_done(im, -1, line, e) < 0)
				goto out;
			continue;
		}
		if (c.nf > m.n) {
			int extra = 0;
			for (int i = m.n; i < c.nf; i++)
				extra |= !empty(csv_field(&c, i));
			if (extra) {
				fail_row(im, "%d fields, but the header has %d", c.nf, m.n);
				if (row_done(im, -1, line, e) < 0)
					goto out;
				continue;
			}
		}
		for (int i = 0; i < m.n && i < c.nf; i++) {
			const char *v = csv_field(&c, i);
			int f = m.field[i];
			if (f >= 0) {
				rc_.f[f] = v;
				if (f == F_PRICE && m.cur[i])
					rc_.price_cur = m.cur[i];
			} else if (f == F_PRICE_AT && rc_.nat < MAX_AT) {
				rc_.at_qty[rc_.nat] = m.qty[i];
				rc_.at_val[rc_.nat++] = v;
			} else if (f == F_ATTR && rc_.nattr < MAX_ATTRS) {
				rc_.attr_key[rc_.nattr] = m.name[i];
				rc_.attr_val[rc_.nattr++] = v;
			}
		}
		im->line = line;
		if (row_done(im, offer_write(im, &rc_), line, e) < 0)
			goto out;
	}
	if (rows_flush(im) < 0) {
		write_failed(im, line, e);
		goto out;
	}
	if (im->st->rows == 0) {
		err_set(e, "%s: no rows after the header", name);
		goto out;
	}
	rc = 0;
out:
	colmap_free(&m);
	sb_free(&c.buf);
	free(c.off);
	return rc;
}

/* ---- JSON: [offer, ...] with a nested "supplier", or {suppliers, products} ---- */

typedef struct strpool {
	char **s;
	int n;
} strpool;

static const char *pool_add(strpool *p, char *s)
{
	p->s = xrealloc(p->s, (size_t)(p->n + 1) * sizeof *p->s);
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

	if (*bad || field_check(it->string, strlen(it->string), it->string, 0, im->why,
	                        sizeof im->why) < 0) {
		*bad = 1;
		return NULL;
	}
	v = json_text(it, f, pool);
	if (v && field_check(v, strlen(v), it->string, 0, im->why, sizeof im->why) < 0) {
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
		f = header_field(it->string, strlen(it->string), in_supplier, &qty, &cur);
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

static int import_json(importer *im, const char *data, size_t len, souk_err *e)
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
		if ((i & 1023) == 0 && cancelled(im)) {
			err_set(e, "interrupted");
			goto out;
		}
		if (!cJSON_IsObject(o)) {
			fail_row(im, "not a JSON object");
			wrc = -1;
		} else {
			json_fill(im, &r, o, 0, &pool, &bad);
			if (!bad && r.f[S_ID] && suppliers) {
				const cJSON *s = json_supplier_by_id(suppliers, r.f[S_ID]);
				if (s)
					json_fill(im, &r, s, 1, &pool, &bad);
			}
			if (dropped == 0 && r.dropped && (im->dry || i > im->quiet_rows))
				dropped_warn(im, i, r.dropped);
			dropped += r.dropped;
			if (bad)
				wrc = -1;
			else if (r.f[S_ID] && empty(r.f[S_NAME]))
				wrc = fail_row(im, "supplier id '%.40s' is not among the suppliers",
				               r.f[S_ID]);
			else {
				im->line = i;
				wrc = offer_write(im, &r);
			}
		}
		pool_free(&pool);
		if (row_done(im, wrc, i, e) < 0)
			goto out;
	}
	if (rows_flush(im) < 0) {
		write_failed(im, i, e);
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

/* ---- the transaction around it all ---- */

static int exec_sql(sqlite3 *db, const char *sql, souk_err *e)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	err_set(e, "the catalog refused the import: %s", sqlite3_errmsg(db));
	return -1;
}

static long max_rowid(sqlite3 *db, const char *table)
{
	sqlite3_stmt *st;
	char *sql = xasprintf("SELECT coalesce(max(rowid), 0) FROM %s", table);
	long n = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = (long)sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	free(sql);
	return n;
}

/* The per-row FTS trigger costs twice what one batch insert of the new
 * rows costs at the end, so it is set aside inside the transaction (a
 * rollback brings it back with everything else). When the import brings
 * more rows than the catalog has, the two product indexes are built once
 * at the end too: sorting all the rows cost less than half of keeping
 * the indexes up to date row by row (1,000,000 rows into the 30,000 of
 * the demo: 1.7 s against 3.5 s). */
typedef struct suspended {
	char *trigger, *idx[2];
} suspended;

/* Bytes of input per row, on the low side for real files (the benchmark's
 * rows are 160 bytes; descriptions make them longer): an import whose
 * size over this exceeds the catalog's products gets its indexes rebuilt. */
#define BYTES_PER_ROW_GUESS 256

static int bulk_begin(sqlite3 *db, int bulk, suspended *s)
{
	memset(s, 0, sizeof *s);
	if ((s->trigger = catalog_schema_suspend(db, "products_ai")) == NULL)
		return -1;
	if (bulk) {
		s->idx[0] = catalog_schema_suspend(db, "products_supplier");
		s->idx[1] = catalog_schema_suspend(db, "products_category");
	}
	return 0;
}

static int bulk_end(sqlite3 *db, const suspended *s, souk_err *e)
{
	for (int i = 0; i < 2; i++)
		if (s->idx[i] && exec_sql(db, s->idx[i], e) < 0)
			return -1;
	return 0;
}

static void suspended_free(suspended *s)
{
	free(s->trigger);
	free(s->idx[0]);
	free(s->idx[1]);
}

/* The FTS automerge setting (FTS5's default is 4). */
static int fts_automerge(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = 4;

	if (sqlite3_prepare_v2(db, "SELECT v FROM products_fts_config WHERE k='automerge'", -1, &st,
	                       NULL) != SQLITE_OK)
		return v;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Indexes the new rows in one statement. Merging segments while they are
 * written costs a quarter of the time; the old setting comes back after,
 * so later writes merge as before. */
static int fts_catch_up(sqlite3 *db, long after, const char *trigger, souk_err *e)
{
	sqlite3_stmt *st;
	int rc, merge = fts_automerge(db);
	char sql[96];

	if (exec_sql(db, "INSERT INTO products_fts(products_fts, rank) VALUES ('automerge', 0)",
	             e) < 0)
		return -1;
	if (sqlite3_prepare_v2(db,
	                       "INSERT INTO products_fts(rowid, title, description, category, "
	                       "attributes) SELECT id, title, description, category, attributes "
	                       "FROM products WHERE id > ?",
	                       -1, &st, NULL) != SQLITE_OK) {
		err_set(e, "cannot index the imported rows: %s", sqlite3_errmsg(db));
		return -1;
	}
	sqlite3_bind_int64(st, 1, after);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		err_set(e, "cannot index the imported rows: %s", sqlite3_errmsg(db));
		return -1;
	}
	snprintf(sql, sizeof sql,
	         "INSERT INTO products_fts(products_fts, rank) VALUES ('automerge', %d)", merge);
	if (exec_sql(db, sql, e) < 0)
		return -1;
	return exec_sql(db, trigger, e);
}

static int meta_update(sqlite3 *db, const char *name, int was_empty, souk_err *e)
{
	sqlite3_stmt *st;
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	const char *base = strrchr(name, '/');
	int rc = 0;

	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", -1, &st,
	                       NULL) != SQLITE_OK) {
		err_set(e, "cannot record the import: %s", sqlite3_errmsg(db));
		return -1;
	}
	sqlite3_bind_text(st, 1, "imported_at", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, when, -1, SQLITE_STATIC);
	rc |= sqlite3_step(st) != SQLITE_DONE;
	if (was_empty) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, "name", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, base && base[1] ? base + 1 : name, -1, SQLITE_STATIC);
		rc |= sqlite3_step(st) != SQLITE_DONE;
	}
	/* A demo catalog with the user's rows in it is no longer a demo:
	 * 'souk demo' must not replace it without --force. */
	rc |= sqlite3_exec(db,
	                   "UPDATE meta SET value='demo+import' WHERE key='name' AND value='demo'",
	                   NULL, NULL, NULL) != SQLITE_OK;
	sqlite3_finalize(st);
	if (rc) {
		err_set(e, "cannot record the import: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

static int categories_fill(importer *im, souk_err *e)
{
	sqlite3_stmt *st;

	if (im->ntax == 0)
		return 0;
	if (sqlite3_prepare_v2(im->db, "INSERT OR IGNORE INTO categories(path, name) VALUES (?, ?)",
	                       -1, &st, NULL) != SQLITE_OK) {
		err_set(e, "cannot record the categories: %s", sqlite3_errmsg(im->db));
		return -1;
	}
	for (int i = 0; i < im->ntax; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, im->tax_path[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, im->tax_name[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE) {
			err_set(e, "cannot record the categories: %s", sqlite3_errmsg(im->db));
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return 0;
}

static import_format sniff_format(const char *data, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && isspace((unsigned char)data[i]))
		i++;
	return i < len && (data[i] == '[' || data[i] == '{') ? IMPORT_JSON : IMPORT_CSV;
}

/* What one run over the rows holds: the statements (which must be
 * finished before COMMIT or ROLLBACK), known suppliers, pending rows. */
static void importer_end_run(importer *im)
{
	sqlite3_finalize(im->ins_sup);
	sqlite3_finalize(im->ins_prod);
	im->ins_sup = im->ins_prod = NULL;
	for (size_t i = 0; i < sizeof im->ins_tiers / sizeof *im->ins_tiers; i++) {
		sqlite3_finalize(im->ins_tiers[i]);
		im->ins_tiers[i] = NULL;
	}
	for (size_t i = 0; i < sizeof im->ins_certs / sizeof *im->ins_certs; i++) {
		sqlite3_finalize(im->ins_certs[i]);
		im->ins_certs[i] = NULL;
	}
	supmap_free(&im->sups);
	im->nqt = im->nqc = 0;
	im->qnames.len = 0;
	im->qrows = 0;
	im->fail_line = 0;
}

static void importer_free(importer *im)
{
	importer_end_run(im);
	cJSON_Delete(im->root);
	free(im->tax_path);
	free(im->tax_name);
	free(im->tax_terms);
	free(im->tax_buf);
	free(im->qt);
	free(im->qc);
	sb_free(&im->qnames);
	sb_free(&im->certs);
	sb_free(&im->custom);
	sb_free(&im->attrs);
	sb_free(&im->scerts);
	sb_free(&im->markets);
	sb_free(&im->key);
	sb_free(&im->tmp);
	sb_free(&im->title);
	sb_free(&im->desc);
	sb_free(&im->cat);
	sb_free(&im->port);
	sb_free(&im->sname);
	sb_free(&im->city);
	money_free(im->money);
}

/* A re-imported offer (the same supplier, the same title, any case)
 * replaces the one already in the catalog and takes over its id, so
 * shortlists that hold the old offer see what changed instead of losing
 * it, and a price list imported twice is not in the catalog twice. Runs
 * after the new rows are indexed: the delete and update triggers keep the
 * search index in step. Foreign keys are off during an import, so tiers
 * and certifications are moved by hand. */
static int replace_older(importer *im, long before, long sups_before, souk_err *e)
{
	static const char *const steps[] = {
	        "DELETE FROM price_tiers WHERE product_id IN (SELECT old_id FROM souk_replaced)",
	        "DELETE FROM product_certs WHERE product_id IN (SELECT old_id FROM souk_replaced)",
	        "DELETE FROM products WHERE id IN (SELECT old_id FROM souk_replaced)",
	        "UPDATE products SET id = (SELECT old_id FROM souk_replaced WHERE new_id = "
	        "products.id) WHERE id IN (SELECT new_id FROM souk_replaced)",
	        "UPDATE price_tiers SET product_id = (SELECT old_id FROM souk_replaced WHERE "
	        "new_id = price_tiers.product_id) WHERE product_id IN (SELECT new_id FROM "
	        "souk_replaced)",
	        "UPDATE product_certs SET product_id = (SELECT old_id FROM souk_replaced WHERE "
	        "new_id = product_certs.product_id) WHERE product_id IN (SELECT new_id FROM "
	        "souk_replaced)",
	};
	sqlite3_stmt *st = NULL;
	char sql[640];
	size_t i;
	int rc = 0;

	if (before <= 0)
		return 0;
	/* each new row replaces at most one old row (the oldest), and each old
	 * row is replaced by at most one new row (the last in the file) */
	/* only suppliers that were in the catalog before can have old offers:
	 * the rows of new suppliers skip the lookup */
	snprintf(sql, sizeof sql,
	         "CREATE TEMP TABLE souk_replaced AS SELECT old_id, max(new_id) AS new_id FROM "
	         "(SELECT n.id AS new_id, min(o.id) AS old_id FROM products n JOIN products o ON "
	         "o.supplier_id = n.supplier_id AND o.title = n.title COLLATE NOCASE AND "
	         "o.id <= %ld WHERE n.id > %ld AND n.supplier_id <= %ld GROUP BY n.id) "
	         "GROUP BY old_id",
	         before, before, sups_before);
	if (exec_sql(im->db, sql, e) < 0)
		return -1;
	if (sqlite3_prepare_v2(im->db, "SELECT count(*) FROM souk_replaced", -1, &st, NULL) ==
	            SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		im->st->updated = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	for (i = 0; im->st->updated > 0 && i < sizeof steps / sizeof steps[0] && rc == 0; i++)
		rc = exec_sql(im->db, steps[i], e);
	if (exec_sql(im->db, "DROP TABLE souk_replaced", e) < 0)
		rc = -1;
	return rc;
}

/* Known suppliers and the insert statements, for the probe and the run. */
static int import_prepare(importer *im, souk_err *e)
{
	if (supmap_load(im) < 0) {
		err_set(e, "cannot read the catalog: %s", sqlite3_errmsg(im->db));
		return -1;
	}
	if (sqlite3_prepare_v2(im->db, sql_sup, -1, &im->ins_sup, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(im->db, sql_prod, -1, &im->ins_prod, NULL) != SQLITE_OK ||
	    tiers_insert(im, 1) == NULL || certs_insert(im, 1) == NULL) {
		err_set(e, "the catalog is not a souk catalog: %s", sqlite3_errmsg(im->db));
		return -1;
	}
	return 0;
}

static int import_rows(importer *im, import_format fmt, const char *data, size_t len, souk_err *e)
{
	int rc = fmt == IMPORT_JSON ? import_json(im, data, len, e) : import_csv(im, data, len, e);

	if (rc == 0 && cancelled(im)) {
		err_set(e, "interrupted");
		rc = -1;
	}
	return rc;
}

static int import_run(importer *im, import_format fmt, const char *data, size_t len, souk_err *e)
{
	long products_before = max_rowid(im->db, "products");
	long suppliers_before = max_rowid(im->db, "suppliers");
	long count_before = 0;
	suspended sus;
	int rc, bulk;

	if (catalog_counts(im->db, NULL, &count_before, e) < 0)
		return -1;
	if (products_before < 0) {
		err_set(e, "cannot read the catalog: %s", sqlite3_errmsg(im->db));
		return -1;
	}
	if (import_prepare(im, e) < 0)
		return -1;
	bulk = count_before == 0 || count_before < (long)(len / BYTES_PER_ROW_GUESS);
	if (bulk_begin(im->db, bulk, &sus) < 0) {
		suspended_free(&sus);
		err_set(e, "the catalog's search index is missing its trigger (rebuild it)");
		return -1;
	}
	rc = import_rows(im, fmt, data, len, e);
	if (rc == 0 && im->o->progress)
		im->o->progress("indexing", 1.0, im->o->arg);
	if (rc == 0)
		rc = bulk_end(im->db, &sus, e);
	if (rc == 0)
		rc = fts_catch_up(im->db, products_before, sus.trigger, e);
	if (rc == 0)
		rc = replace_older(im, products_before, suppliers_before, e);
	if (rc == 0)
		rc = categories_fill(im, e);
	if (rc == 0)
		rc = meta_update(im->db, im->o->name, count_before == 0, e);
	suspended_free(&sus);
	return rc;
}

/* A big transaction in WAL mode writes every page twice (log, then
 * checkpoint) and looks each one up in the WAL index. A rollback journal
 * saves only the pages that existed before, and pages appended to the
 * file need none: about twice as fast and just as atomic. It works only
 * while no other connection has the catalog open; otherwise WAL it is. */
static int journal_leave_wal(sqlite3 *db)
{
	sqlite3_stmt *st;
	int ok = 0;

	if (sqlite3_prepare_v2(db, "PRAGMA journal_mode=DELETE", -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		ok = strcmp((const char *)sqlite3_column_text(st, 0), "delete") == 0;
	sqlite3_finalize(st);
	return ok;
}

/* Every reference an import writes is its own: supplier ids come from the
 * catalog read under the write lock or from its own inserts, product ids
 * from its own inserts. Looking each one up in its parent table proves
 * nothing and costs a sixth of a big import, so the checks are off while
 * it runs. The pragma does nothing inside a transaction: this goes before
 * BEGIN. Returns whether they were on. */
static int foreign_keys_off(sqlite3 *db)
{
	sqlite3_stmt *st;
	int on = 0;

	if (sqlite3_prepare_v2(db, "PRAGMA foreign_keys", -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		on = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (on)
		sqlite3_exec(db, "PRAGMA foreign_keys=OFF", NULL, NULL, NULL);
	return on;
}

static int stop_on_cancel(void *arg)
{
	const import_opts *o = arg;

	return *o->cancel != 0;
}

/* The probe: the rows are read and checked, not written, in a read
 * transaction, up to the first good one. Only an import with a row to write
 * touches the catalog: even leaving WAL mode (below) rewrites its header,
 * and an import that writes nothing must leave the file byte for byte as
 * it was. 1 when there is a row to write; 0 when there is none (the stats
 * and row reports are final); -1 on an error. */
static int import_probe(importer *im, import_format fmt, const char *data, size_t len, souk_err *e)
{
	int rc;

	if (exec_sql(im->db, "BEGIN", e) < 0)
		return -1;
	im->dry = 1;
	rc = import_prepare(im, e);
	if (rc == 0)
		rc = import_rows(im, fmt, data, len, e);
	im->dry = 0;
	importer_end_run(im);
	sqlite3_exec(im->db, "ROLLBACK", NULL, NULL, NULL);
	if (im->st->imported > 0) {
		memset(im->st, 0, sizeof *im->st);
		return 1;
	}
	if (rc < 0)
		return -1;
	return 0;
}

/* The write: one IMMEDIATE transaction, committed or rolled back whole. */
static int import_write(importer *im, import_format fmt, const char *data, size_t len, souk_err *e)
{
	sqlite3 *db = im->db;
	int rc;

	if (exec_sql(db, "BEGIN IMMEDIATE", e) < 0)
		return -1;
	/* Long statements (indexing a million rows) stop on Ctrl-C too. */
	if (im->o->cancel)
		sqlite3_progress_handler(db, 100000, stop_on_cancel, (void *)im->o);
	rc = import_run(im, fmt, data, len, e);
	sqlite3_progress_handler(db, 0, NULL, NULL);
	if (rc == 0 && cancelled(im)) {
		err_set(e, "interrupted");
		rc = -1;
	}
	importer_end_run(im);
	if (rc == 0 && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		err_set(e, "cannot commit the import: %s (the catalog is unchanged)",
		        sqlite3_errmsg(db));
		rc = -1;
	}
	if (rc < 0) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		im->st->imported = 0;
	}
	return rc;
}

int import_buffer(sqlite3 *db, const char *data, size_t len, const import_opts *o, import_stats *st,
                  souk_err *e)
{
	importer im;
	import_format fmt = o->format;
	int rc, wal = 0, fk = 0;
	souk_err je;
	long line = 0;

	memset(&im, 0, sizeof im);
	memset(st, 0, sizeof *st);
	im.db = db;
	im.o = o;
	im.st = st;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	if (fmt == IMPORT_AUTO)
		fmt = sniff_format(data, len);
	/* over-long strings are cut before the tree is built: a 1 GB title
	 * is a rejected row, not gigabytes of memory */
	if (fmt == IMPORT_JSON &&
	    (im.root = json_parse_capped(data, len, IMPORT_MAX_FIELD, NULL, &line, &je)) == NULL) {
		err_set(e, "%s:%ld: invalid JSON: %s", o->name, line, je.msg);
		return -1;
	}
	if (o->assets) {
		im.money = money_load(o->assets, NULL);
		taxonomy_load(&im);
	}
	rc = import_probe(&im, fmt, data, len, e);
	if (rc <= 0)
		goto out;
	/* Room for the whole transaction in memory before it spills. */
	sqlite3_exec(db, "PRAGMA cache_size=-131072", NULL, NULL, NULL);
	wal = journal_leave_wal(db);
	fk = foreign_keys_off(db);
	rc = import_write(&im, fmt, data, len, e);
out:
	importer_free(&im);
	if (fk)
		sqlite3_exec(db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
	if (wal)
		sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
	return rc;
}

/* Binary data is refused before anything else: NULs in the first block,
 * or a UTF-16 byte order mark. */
static int looks_binary(const char *data, size_t len, const char **what)
{
	size_t n = len < 65536 ? len : 65536;

	*what = "a binary file";
	if (len >= 2 && ((unsigned char)data[0] == 0xff && (unsigned char)data[1] == 0xfe)) {
		*what = "UTF-16 text";
		return 1;
	}
	if (len >= 2 && ((unsigned char)data[0] == 0xfe && (unsigned char)data[1] == 0xff)) {
		*what = "UTF-16 text";
		return 1;
	}
	return memchr(data, '\0', n) != NULL;
}

int import_file(sqlite3 *db, const char *path, const import_opts *o, import_stats *st, souk_err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	void *map;
	int rc;
	const char *what;

	memset(st, 0, sizeof *st);
	if (fd < 0) {
		err_set(e, "cannot open %s: %s", o->name, strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		err_set(e, "%s is not a regular file", o->name);
		close(fd);
		return -1;
	}
	if (sb.st_size == 0) {
		err_set(e, "%s is empty", o->name);
		close(fd);
		return -1;
	}
	if ((long long)sb.st_size > IMPORT_MAX_FILE) {
		err_set(e, "%s is larger than 2 GB (split it into smaller files)", o->name);
		close(fd);
		return -1;
	}
	map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		err_set(e, "cannot read %s: %s", o->name, strerror(errno));
		return -1;
	}
	if (looks_binary(map, (size_t)sb.st_size, &what)) {
		err_set(e, "%s is %s, not CSV or JSON (save it as UTF-8 CSV or JSON)", o->name,
		        what);
		munmap(map, (size_t)sb.st_size);
		return -1;
	}
	rc = import_buffer(db, map, (size_t)sb.st_size, o, st, e);
	munmap(map, (size_t)sb.st_size);
	return rc;
}

/* ---- URLs ---- */

int import_is_url(const char *s)
{
	return strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0;
}

typedef struct fetch {
	FILE *out;
	curl_off_t got;
	const import_opts *o;
	int too_big;
} fetch;

static size_t fetch_write(char *p, size_t size, size_t n, void *arg)
{
	fetch *f = arg;
	size_t len = size * n;

	if (f->got + (curl_off_t)len > IMPORT_MAX_FILE) {
		f->too_big = 1;
		return 0;
	}
	f->got += (curl_off_t)len;
	return fwrite(p, 1, len, f->out);
}

static int fetch_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                          curl_off_t ulnow)
{
	fetch *f = arg;

	(void)ultotal;
	(void)ulnow;
	if (f->o->cancel && *f->o->cancel)
		return 1;
	if (f->o->progress && dlnow > 0)
		f->o->progress("downloading", dltotal > 0 ? (double)dlnow / (double)dltotal : -1.0,
		               f->o->arg);
	return 0;
}

int import_fetch(const char *url, const import_opts *o, char **path, souk_err *e)
{
	const char *dir = getenv("TMPDIR");
	char *tmp = xasprintf("%s/souk-import-XXXXXX", dir && *dir ? dir : "/tmp");
	char curlerr[CURL_ERROR_SIZE] = "";
	fetch f = {NULL, 0, o, 0};
	const dylib_curl *cu;
	CURL *c;
	CURLcode cc;
	long status = 0;
	int fd;

	*path = NULL;
	if (!import_is_url(url)) {
		err_set(e, "%s is not an http or https address", url);
		free(tmp);
		return -1;
	}
	if ((cu = dylib_curl_get(e)) == NULL) {
		free(tmp);
		return -1;
	}
	fd = mkstemp(tmp);
	if (fd < 0 || (f.out = fdopen(fd, "wb")) == NULL) {
		err_set(e, "cannot make a temporary file in %s: %s", dir ? dir : "/tmp",
		        strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		return -1;
	}
	c = cu->easy_init();
	if (c == NULL) {
		err_set(e, "cannot start libcurl");
		goto fail;
	}
	cu->easy_setopt(c, CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500
	cu->easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	cu->easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	cu->easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	cu->easy_setopt(c, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	cu->easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	cu->easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	cu->easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	/* A stalled transfer (under 1 KB/s for 30 s) is a failed one. */
	cu->easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
	cu->easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 30L);
	cu->easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)IMPORT_MAX_FILE);
	cu->easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	cu->easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	cu->easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	cu->easy_setopt(c, CURLOPT_FAILONERROR, 1L);
	cu->easy_setopt(c, CURLOPT_USERAGENT, "souk-import/1");
	cu->easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	cu->easy_setopt(c, CURLOPT_ERRORBUFFER, curlerr);
	cu->easy_setopt(c, CURLOPT_WRITEFUNCTION, fetch_write);
	cu->easy_setopt(c, CURLOPT_WRITEDATA, &f);
	cu->easy_setopt(c, CURLOPT_XFERINFOFUNCTION, fetch_progress);
	cu->easy_setopt(c, CURLOPT_XFERINFODATA, &f);
	cu->easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	cc = cu->easy_perform(c);
	cu->easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	cu->easy_cleanup(c);
	if (cc == CURLE_ABORTED_BY_CALLBACK) {
		err_set(e, "interrupted while downloading %s", url);
		goto fail;
	}
	if (f.too_big || cc == CURLE_FILESIZE_EXCEEDED) {
		err_set(e, "%s is larger than 2 GB", url);
		goto fail;
	}
	if (cc == CURLE_HTTP_RETURNED_ERROR) {
		err_set(e, "%s answered HTTP %ld (check the address)", url, status);
		goto fail;
	}
	if (cc != CURLE_OK) {
		err_set(e, "cannot download %s: %s (check the address and the network)", url,
		        *curlerr ? curlerr : cu->easy_strerror(cc));
		goto fail;
	}
	if (fclose(f.out) != 0) {
		f.out = NULL;
		err_set(e, "cannot save the download: %s", strerror(errno));
		goto fail;
	}
	*path = tmp;
	return 0;
fail:
	if (f.out)
		fclose(f.out);
	unlink(tmp);
	free(tmp);
	return -1;
}
