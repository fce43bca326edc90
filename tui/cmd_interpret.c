/* cmd_interpret: `souk interpret [--json] [--db FILE] [--engine offline|llm] TURN...`: the
 * conversation without a screen. */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "catalog.h"
#include "cmd.h"
#include "cmd_llm.h"
#include "config.h"
#include "dialog.h"
#include "match.h"
#include "text.h"

static int usage(void)
{
	fputs("Usage: souk interpret [--json] [--db FILE] [--engine offline|llm] TURN...\n"
	      "Applies each TURN as one thing the buyer says, in order, from an empty state,\n"
	      "and prints the replies (with --json: one object with the final filters, reply\n"
	      "and question, and with the llm engine the tool calls the model made). Counts\n"
	      "come from the catalog when one exists.\n",
	      stderr);
	return 2;
}

static int file_exists(const char *path)
{
	struct stat st;
	return path && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* What the llm engine adds to --json: the engine, the tool calls of every
 * turn and the lines that said why a turn was answered offline. */
typedef struct llm_run {
	llm *l;
	int json;
	cJSON *calls, *notices;
	int streamed; /* text was printed as it came */
	int mid_line; /* ... and its last line is not ended yet */
} llm_run;

static void print_json(const dialog *d, const dialog_reply *last, const llm_run *run)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "filters", filter_to_cjson(dialog_filter(d)));
	cJSON_AddStringToObject(o, "reply", last->text ? last->text : "");
	if (last->question)
		cJSON_AddStringToObject(o, "question", last->question);
	else
		cJSON_AddNullToObject(o, "question");
	cJSON_AddStringToObject(o, "engine", run->l ? "llm" : "offline");
	if (run->l) {
		const char *model = llm_model(run->l);
		cJSON_AddStringToObject(o, "model", model ? model : "");
		cJSON_AddItemToObject(o, "tool_calls", cJSON_Duplicate(run->calls, 1));
		cJSON_AddItemToObject(o, "notices", cJSON_Duplicate(run->notices, 1));
	}
	char *s = cJSON_Print(o);
	puts(s);
	free(s);
	cJSON_Delete(o);
}

/* ---- the llm engine's events ---- */

static void on_text(void *ud, const char *t, size_t n)
{
	llm_run *run = ud;

	if (!run->json) {
		fwrite(t, 1, n, stdout);
		fflush(stdout);
		run->streamed = 1;
		run->mid_line = n > 0 && t[n - 1] != '\n';
	}
}

static void on_tool(void *ud, const char *name, const char *args, const char *result, int applied)
{
	llm_run *run = ud;
	cJSON *c = cJSON_CreateObject(), *a = cJSON_Parse(args), *r = cJSON_Parse(result);

	cJSON_AddStringToObject(c, "name", name);
	cJSON_AddItemToObject(c, "arguments", a ? a : cJSON_CreateString(args));
	cJSON_AddItemToObject(c, "result", r ? r : cJSON_CreateString(result));
	cJSON_AddBoolToObject(c, "applied", applied);
	cJSON_AddItemToArray(run->calls, c);
}

static void on_notice(void *ud, const char *line)
{
	llm_run *run = ud;

	cJSON_AddItemToArray(run->notices, cJSON_CreateString(line));
	if (run->json)
		return;
	if (run->mid_line)
		putchar('\n');
	run->mid_line = 0;
	printf("! %s\n", line);
}

/* One turn through the engine; r as dialog_turn fills it. */
static int run_turn(llm_run *run, dialog *d, const char *line, dialog_reply *r, souk_err *e)
{
	llm_events ev = {on_text, on_tool, on_notice, NULL, run};
	const llm_outcome *o;

	if (!run->l)
		return dialog_turn(d, line, r, e);
	memset(r, 0, sizeof *r);
	run->streamed = run->mid_line = 0;
	if (llm_turn(run->l, line, &ev, e) < 0)
		return -1;
	o = llm_result(run->l);
	r->text = xstrdup(o->reply ? o->reply : "");
	r->question = o->question ? xstrdup(o->question) : NULL;
	if (run->mid_line)
		putchar('\n');
	if (run->streamed) { /* the model's words are on the screen already */
		if (!o->offline) {
			free(r->text);
			r->text = NULL;
		}
	}
	return 0;
}

static void print_said(const char *said_raw)
{
	char *said = text_sanitize(said_raw, 0);

	printf("> %s\n", said);
	free(said);
	fflush(stdout);
}

static void print_turn(const char *said_raw, const dialog_reply *r, int more)
{
	if (r->is_command)
		printf("(%s is a dashboard command)\n", said_raw);
	if (r->text)
		printf("%s\n", r->text);
	if (r->question)
		printf("? %s\n", r->question);
	if (more)
		putchar('\n');
}

/* The catalog for counts, or NULL: interpreting does not need one. A first
 * run builds the demo like `souk query` does. */
static int open_counts(const souk_config *cfg, const char *db, match_ctx **m, souk_err *e)
{
	*m = NULL;
	if (db) {
		if (!file_exists(db)) {
			err_set(e, "no catalog at %s (build one with souk demo or souk import)",
			        db);
			return -1;
		}
		*m = match_open(db, cfg->ref, e);
		return *m ? 0 : -1;
	}
	if (!file_exists(cfg->catalog) && config_ensure_data_dir(cfg, e) == 0)
		(void)catalog_ensure_demo(cfg->catalog, cfg->assets, e);
	if (file_exists(cfg->catalog))
		*m = match_open(cfg->catalog, cfg->ref, e);
	return 0;
}

static int parse_args(int argc, char **argv, int *json, const char **db, const char **engine,
                      int *first)
{
	for (int i = 1; i < argc; i++) {
		int k;
		if (!strcmp(argv[i], "--json")) {
			*json = 1;
		} else if (!strcmp(argv[i], "--db")) {
			if (++i >= argc)
				return usage();
			*db = argv[i];
		} else if ((k = cmd_engine_option(argc, argv, &i, engine)) != 0) {
			if (k < 0)
				return 2;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage();
			return -1;
		} else if (!strcmp(argv[i], "--")) {
			*first = i + 1;
			break;
		} else if (argv[i][0] == '-' && argv[i][1] == '-') {
			return cmd_fail(2, "unknown option '%s' (see souk interpret --help)",
			                argv[i]);
		} else {
			*first = i;
			break;
		}
	}
	return 0;
}

static void start_state(const souk_config *cfg, dialog *d)
{
	souk_filter f; /* prices in the buyer's currency from the config */

	if (!cfg->currency || strlen(cfg->currency) != 3)
		return;
	filter_copy(&f, dialog_filter(d));
	memcpy(f.currency, cfg->currency, 4);
	dialog_set_filter(d, &f);
	filter_free(&f);
}

static int run_all(llm_run *run, dialog *d, int argc, char **argv, int first)
{
	dialog_reply last = {0};
	souk_err e;

	for (int i = first; i < argc; i++) {
		dialog_reply r;
		if (!run->json)
			print_said(argv[i]);
		if (run_turn(run, d, argv[i], &r, &e) < 0) {
			dialog_reply_free(&last);
			return cmd_fail(1, "%s", e.msg);
		}
		if (!run->json)
			print_turn(argv[i], &r, i + 1 < argc);
		dialog_reply_free(&last);
		last = r;
	}
	if (run->json)
		print_json(d, &last, run);
	dialog_reply_free(&last);
	return 0;
}

int cmd_interpret(const souk_config *cfg, int argc, char **argv)
{
	int json = 0, first = 0, rc, eng;
	const char *db = NULL, *engine = NULL;
	llm_run run = {0};
	match_ctx *m;
	souk_err e;
	dialog *d;

	if ((rc = parse_args(argc, argv, &json, &db, &engine, &first)) != 0)
		return rc < 0 ? 0 : rc;
	if (!first || first >= argc)
		return cmd_fail(2, "nothing to interpret (give one or more turns: souk interpret "
		                   "\"pickleball paddles under $8\")");
	if ((eng = config_engine(cfg, engine, &e)) < 0)
		return cmd_fail(2, "%s", e.msg);
	if (open_counts(cfg, db, &m, &e) < 0)
		return cmd_fail(1, "%s", e.msg);
	if ((d = dialog_new(m, cfg->ref, &e)) == NULL) {
		match_close(m);
		return cmd_fail(1, "%s", e.msg);
	}
	start_state(cfg, d);
	run.json = json;
	run.calls = cJSON_CreateArray();
	run.notices = cJSON_CreateArray();
	rc = 0;
	if (eng == CONFIG_ENGINE_LLM && (run.l = cmd_llm_open(cfg, d, m, &e)) == NULL)
		rc = cmd_fail(1, "%s", e.msg);
	if (rc == 0)
		rc = run_all(&run, d, argc, argv, first);
	llm_free(run.l);
	cJSON_Delete(run.calls);
	cJSON_Delete(run.notices);
	dialog_free(d);
	match_close(m);
	return rc;
}
