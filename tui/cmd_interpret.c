/* cmd_interpret: `souk interpret [--json] [--db FILE] TURN...`: the conversation without a screen.
 */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "catalog.h"
#include "cmd.h"
#include "config.h"
#include "dialog.h"
#include "match.h"
#include "text.h"

static int usage(void)
{
	fputs("Usage: souk interpret [--json] [--db FILE] TURN...\n"
	      "Applies each TURN as one thing the buyer says, in order, from an empty state,\n"
	      "and prints the replies (with --json: one object with the final filters, reply\n"
	      "and question). Counts come from the catalog when one exists.\n",
	      stderr);
	return 2;
}

static int file_exists(const char *path)
{
	struct stat st;
	return path && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static void print_json(const dialog *d, const dialog_reply *last)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "filters", filter_to_cjson(dialog_filter(d)));
	cJSON_AddStringToObject(o, "reply", last->text ? last->text : "");
	if (last->question)
		cJSON_AddStringToObject(o, "question", last->question);
	else
		cJSON_AddNullToObject(o, "question");
	char *s = cJSON_Print(o);
	puts(s);
	free(s);
	cJSON_Delete(o);
}

int cmd_interpret(const souk_config *cfg, int argc, char **argv)
{
	int json = 0, first = 0;
	const char *db = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!strcmp(argv[i], "--db")) {
			if (++i >= argc)
				return usage();
			db = argv[i];
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage();
			return 0;
		} else if (!strcmp(argv[i], "--")) {
			first = i + 1;
			break;
		} else if (argv[i][0] == '-' && argv[i][1] == '-') {
			return cmd_fail(2, "unknown option '%s' (see souk interpret --help)",
			                argv[i]);
		} else {
			first = i;
			break;
		}
	}
	if (!first || first >= argc)
		return cmd_fail(2, "nothing to interpret (give one or more turns: souk interpret "
		                   "\"pickleball paddles under $8\")");

	souk_err e;
	match_ctx *m = NULL;
	/* Counts need a catalog; interpreting does not. A first run builds the
	 * demo like `souk query` does, and if that fails the turns are still
	 * interpreted, only without counts. */
	if (db) {
		if (!file_exists(db))
			return cmd_fail(
			        1, "no catalog at %s (build one with souk demo or souk import)",
			        db);
		m = match_open(db, cfg->assets, &e);
		if (!m)
			return cmd_fail(1, "%s", e.msg);
	} else {
		sqlite3 *h;

		if (!file_exists(cfg->catalog) && config_ensure_data_dir(cfg, &e) == 0 &&
		    catalog_open_or_demo(cfg->catalog, cfg->assets, &h, &e) == 0)
			catalog_close(h);
		if (file_exists(cfg->catalog))
			m = match_open(cfg->catalog, cfg->assets, &e);
	}
	dialog *d = dialog_new(m, cfg->assets, &e);
	if (!d) {
		match_close(m);
		return cmd_fail(1, "%s", e.msg);
	}
	if (cfg->currency && strlen(cfg->currency) == 3) {
		souk_filter f; /* prices in the buyer's currency from the config */

		filter_copy(&f, dialog_filter(d));
		memcpy(f.currency, cfg->currency, 4);
		dialog_set_filter(d, &f);
		filter_free(&f);
	}
	dialog_reply last = {0};
	for (int i = first; i < argc; i++) {
		dialog_reply r;
		if (dialog_turn(d, argv[i], &r, &e) < 0) {
			dialog_free(d);
			match_close(m);
			dialog_reply_free(&last);
			return cmd_fail(1, "%s", e.msg);
		}
		if (!json) {
			char *said = text_sanitize(argv[i], 0);
			printf("> %s\n", said);
			free(said);
			if (r.is_command)
				printf("(%s is a dashboard command)\n", argv[i]);
			if (r.text)
				printf("%s\n", r.text);
			if (r.question)
				printf("? %s\n", r.question);
			if (i + 1 < argc)
				putchar('\n');
		}
		dialog_reply_free(&last);
		last = r;
	}
	if (json)
		print_json(d, &last);
	dialog_reply_free(&last);
	dialog_free(d);
	match_close(m);
	return 0;
}
