/* main: command-line entry point; dispatches to the dashboard or a subcommand. */
#include "build-config.h"

#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "cmd.h"
#include "cmd_llm.h"
#include "config.h"
#include "index.h"
#include "ref.h"
#include "text.h"
#include "util.h"

struct command {
	const char *name;
	int (*run)(const souk_config *cfg, int argc, char **argv);
	int ref; /* 1: it needs the reference data, loaded once here (cfg->ref) */
	const char *usage;
	const char *help; /* `souk NAME --help`: what it does, every option, an example */
};

static const struct command commands[] = {
        {"query", cmd_query, 1,
         "souk query [--db FILE] [--filters JSON | TEXT...] [--limit N] [--format "
         "table|csv|json|md]\n"
         "                [--engine offline|llm]",
         "Searches the catalog the way the dashboard does and prints the ranked offers.\n"
         "Either TEXT (words a buyer would type, read by the interpreter) or --filters\n"
         "JSON (a filter state, see \"Filter state JSON\" in souk(1)) says what to find.\n"
         "\n"
         "  --db FILE        the catalog (default: SOUK_CATALOG or the data directory's)\n"
         "  --filters JSON   the filter state as strict JSON\n"
         "  --limit N        at most N offers, 1 to 1000 (default 20)\n"
         "  --format F       table (default), csv, json or md\n"
         "  --engine E       offline (the built-in interpreter) or llm (the model server\n"
         "                   of llm_url) reads TEXT; default: llm when llm_url is set\n"
         "\n"
         "Example: souk query yoga mats under 5 dollars from vietnam --format csv\n"},
        {"interpret", cmd_interpret, 1,
         "souk interpret [--json] [--db FILE] [--engine offline|llm] TURN...",
         "Applies each TURN as one thing the buyer says, in order, from an empty state,\n"
         "and prints the replies. Counts come from the catalog when one exists.\n"
         "\n"
         "  --json     one object with the final filters, reply and question\n"
         "  --db FILE  the catalog to count against\n"
         "  --engine E offline or llm (the model server); --json then lists its tool calls\n"
         "  --         what follows is a turn, even if it starts with -\n"
         "\n"
         "Example: souk interpret --json \"tote bags\" \"not from china\"\n"},
        {"llm", cmd_llm, 1, "souk llm check",
         "Probes the model server of llm_url (SOUK_LLM_URL): its model list, one streamed\n"
         "tool call and JSON-schema output, and says in plain words what works and what\n"
         "to fix. Exit status 0 when souk can use the server.\n"
         "\n"
         "Example: SOUK_LLM_URL=http://localhost:11434/v1 SOUK_LLM_MODEL=llama3.2 souk llm "
         "check\n"},
        {"import", cmd_import, 1, "souk import FILE|URL [--db FILE] [--format csv|json] [--strict]",
         "Adds the offers in a CSV or JSON file, or at an http(s) address, to the catalog\n"
         "in one transaction. Bad rows are reported (file:line: reason) and skipped;\n"
         "if no row can be written, or anything fails, the catalog is left byte for byte\n"
         "as it was. See \"Importing\" in the README for what each format accepts.\n"
         "\n"
         "  --db FILE           the catalog (created if missing)\n"
         "  --format csv|json   the format, when the name and content do not tell\n"
         "  --strict            the first bad row rejects the whole file\n"
         "\n"
         "Example: souk import suppliers.csv --db my.db --strict\n"},
        {"demo", cmd_demo, 0, "souk demo [--products N] [--seed S] [--out FILE] [--force]",
         "Builds a synthetic catalog for trying souk out, the same for the same seed.\n"
         "\n"
         "  --products N  how many offers, 1 to 100000000 (default 30000)\n"
         "  --seed S      the random seed (default 1)\n"
         "  --out FILE    where to write it (default: the catalog souk opens)\n"
         "  --force       replace a catalog that holds imported offers\n"
         "\n"
         "Example: souk demo --products 100000 --out /tmp/big.db\n"},
        {"shortlist", cmd_shortlist, 1,
         "souk shortlist list | show NAME | export NAME --out FILE [--format csv|json|md|xlsx]\n"
         "                [--force] | import FILE.json [--name NAME] | rename OLD NEW | delete "
         "NAME",
         "Manages the shortlists saved from the dashboard.\n"
         "\n"
         "  list                    every shortlist with its offer count\n"
         "  show NAME [--db FILE]   its offers, notes and statuses\n"
         "  export NAME --out FILE  writes it; --format csv, json, md or xlsx (default\n"
         "                          from the name), --force replaces FILE, --db FILE\n"
         "                          the catalog for current prices; --out - is stdout\n"
         "  import FILE.json        reads a JSON export back (--name NAME renames it)\n"
         "  rename OLD NEW          renames a shortlist\n"
         "  delete NAME             deletes a shortlist\n"
         "\n"
         "Example: souk shortlist export \"tote bags\" --out totes.xlsx\n"},
};

dialog *cmd_dialog_new(const souk_config *cfg, match_ctx *m, souk_err *e)
{
	souk_filter start;
	dialog *d = dialog_new(m, cfg->ref, e);

	if (d == NULL)
		return NULL;
	filter_init(&start);
	if (cfg->currency && strlen(cfg->currency) == 3)
		memcpy(start.currency, cfg->currency, 4);
	if (cfg->market && *cfg->market)
		start.market = xstrdup(cfg->market);
	dialog_set_filter(d, &start);
	filter_free(&start);
	return d;
}

/* Every message goes through the sanitiser: most echo input (file names,
 * values), and escapes in them must not reach the terminal. */
int cmd_fail(int status, const char *fmt, ...)
{
	va_list ap;
	strbuf b;
	char *safe;

	sb_init(&b);
	va_start(ap, fmt);
	sb_vprintf(&b, fmt, ap);
	va_end(ap);
	safe = text_sanitize(b.s ? b.s : "", 1);
	fprintf(stderr, "souk: %s\n", safe);
	free(safe);
	sb_free(&b);
	return status;
}

/* Edits (insert, delete, change, swap two neighbours) from a to b,
 * stopping at 3: only near misses are worth suggesting. */
static int edit_distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	int d[16][16];

	if (n >= 16 || m >= 16)
		return 3;
	for (size_t i = 0; i <= n; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= n; i++)
		for (size_t j = 1; j <= m; j++) {
			int v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[n][m] < 3 ? d[n][m] : 3;
}

static int unknown_command(const char *name)
{
	const char *best = NULL;
	int bestd = 3;

	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		int d = edit_distance(name, commands[i].name);
		if (d < bestd) {
			bestd = d;
			best = commands[i].name;
		}
	}
	if (best)
		return cmd_fail(2, "unknown command '%s' (did you mean '%s'?)", name, best);
	return cmd_fail(2, "unknown command '%s' (see souk --help)", name);
}

/* --help or -h among a subcommand's options (not after --). */
static int wants_help(int argc, char **argv)
{
	for (int i = 2; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "souk %s: a terminal dashboard for sourcing decisions\n\n", PACKAGE_VERSION);
	fputs("Usage:\n  souk [--db FILE] [--new] [--replay FILE] [--engine offline|llm]\n"
	      "                open the dashboard (resumes the last session; demo catalog on first "
	      "run)\n",
	      out);
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %s\n", commands[i].usage);
	fputs("  souk --help | --version\n\n"
	      "Environment: SOUK_CATALOG, SOUK_ASSETS, NO_COLOR, XDG_DATA_HOME, XDG_CONFIG_HOME,\n"
	      "SOUK_ENGINE, SOUK_LLM_URL, SOUK_LLM_MODEL, SOUK_LLM_KEY (else OPENAI_API_KEY).\n"
	      "See souk(1).\n",
	      out);
}

/* `souk --engine NAME`: checked here and taken out of the dashboard's
 * options. The dashboard answers offline in this version and says so when
 * llm_url is set; --engine offline makes that the buyer's choice. */
static int dashboard_engine(souk_config *cfg, int *argc, char **argv)
{
	const char *engine = NULL;
	souk_err e;
	int i, k, eng;

	for (i = 1; i < *argc; i++) {
		if ((k = cmd_engine_option(*argc, argv, &i, &engine)) < 0)
			return 2;
		if (k > 0) {
			memmove(argv + i - 1, argv + i + 1, sizeof *argv * (size_t)(*argc - i));
			*argc -= 2;
			i -= 2;
		}
	}
	if ((eng = config_engine(cfg, engine, &e)) < 0)
		return cmd_fail(2, "%s", e.msg);
	if (eng == CONFIG_ENGINE_OFFLINE) {
		free(cfg->llm_url);
		cfg->llm_url = NULL;
	}
	return 0;
}

/* The reference data, loaded once for the whole process and passed down
 * in cfg->ref; without it souk cannot read places, certifications or
 * prices. */
static int load_ref(souk_config *cfg, souk_ref **ref)
{
	souk_err e;

	if ((*ref = ref_load(cfg->assets, &e)) == NULL) {
		cmd_fail(1, "%s (reinstall souk or set SOUK_ASSETS)", e.msg);
		return -1;
	}
	cfg->ref = *ref;
	return 0;
}

int main(int argc, char **argv)
{
	souk_config cfg;
	souk_ref *ref = NULL;
	souk_err e;
	size_t i;
	int rc;

	/* the character set only (ncurses needs it for wide characters):
	 * numbers are read and written with '.' whatever the user's
	 * LC_NUMERIC, or a German locale could not read the asset files and
	 * would write "0,99" into JSON and CSV */
	setlocale(LC_CTYPE, "");
	catalog_library_init();
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	if (argc > 1 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)) {
		printf("souk %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (config_load(&cfg, argv[0], &e) < 0) {
		rc = cmd_fail(1, "%s (fix or remove the config file)", e.msg);
		config_free(&cfg);
		return rc;
	}
	if (argc > 1 && argv[1][0] != '-') {
		for (i = 0; i < sizeof commands / sizeof commands[0]; i++) {
			if (strcmp(argv[1], commands[i].name) == 0) {
				if (wants_help(argc, argv)) {
					printf("usage: %s\n\n%s", commands[i].usage,
					       commands[i].help);
					config_free(&cfg);
					return 0;
				}
				/* a command is one short process: its heap is grown
				 * in one go (util_heap_warm); the dashboard keeps
				 * glibc's own sizing, which moves the large blocks of
				 * repeated queries onto the heap as it runs; the same
				 * goes for huge pages on the column index */
				util_heap_warm((size_t)2 << 20);
				index_map_huge(1);
				if (commands[i].ref && load_ref(&cfg, &ref) < 0)
					rc = 1;
				else
					rc = commands[i].run(&cfg, argc - 1, argv + 1);
				ref_free(ref);
				config_free(&cfg);
				return rc;
			}
		}
		config_free(&cfg);
		return unknown_command(argv[1]);
	}
	if ((rc = dashboard_engine(&cfg, &argc, argv)) != 0 || load_ref(&cfg, &ref) < 0) {
		config_free(&cfg);
		return rc ? rc : 1;
	}
	rc = cmd_dashboard(&cfg, argc, argv);
	ref_free(ref);
	config_free(&cfg);
	return rc;
}
