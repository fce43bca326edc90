/* main: command-line entry point; dispatches to the dashboard or a subcommand. */
#include "build-config.h"

#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd_llm.h"
#include "config.h"

struct command {
	const char *name;
	int (*run)(const souk_config *cfg, int argc, char **argv);
	const char *usage;
};

static const struct command commands[] = {
        {"query", cmd_query,
         "souk query [--db FILE] [--filters JSON | TEXT...] [--limit N] [--format "
         "table|csv|json|md]\n"
         "                [--engine offline|llm]"},
        {"interpret", cmd_interpret,
         "souk interpret [--json] [--db FILE] [--engine offline|llm] TURN..."},
        {"llm", cmd_llm, "souk llm check"},
        {"import", cmd_import, "souk import FILE|URL [--db FILE] [--format csv|json] [--strict]"},
        {"demo", cmd_demo, "souk demo [--products N] [--seed S] [--out FILE] [--force]"},
        {"shortlist", cmd_shortlist,
         "souk shortlist list | show NAME | export NAME --out FILE [--format csv|json|md|xlsx]\n"
         "                [--force] | import FILE.json [--name NAME] | rename OLD NEW | delete "
         "NAME"},
};

int cmd_fail(int status, const char *fmt, ...)
{
	va_list ap;

	fputs("souk: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
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

int main(int argc, char **argv)
{
	souk_config cfg;
	souk_err e;
	size_t i;
	int rc;

	setlocale(LC_ALL, "");
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
				rc = commands[i].run(&cfg, argc - 1, argv + 1);
				config_free(&cfg);
				return rc;
			}
		}
		config_free(&cfg);
		usage(stderr);
		return cmd_fail(2, "unknown command '%s' (see souk --help)", argv[1]);
	}
	if ((rc = dashboard_engine(&cfg, &argc, argv)) != 0) {
		config_free(&cfg);
		return rc;
	}
	rc = cmd_dashboard(&cfg, argc, argv);
	config_free(&cfg);
	return rc;
}
