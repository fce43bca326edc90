/* persist: the dashboard's session in the user DB: restore at start, record after each change,
 * and the /sessions, /shortlists and /shortlist commands. */
#include "persist.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "command.h"
#include "session.h"
#include "shortlist.h"
#include "userdb.h"

/* The user DB, opened for one change and closed again (doc/HACKING.md). */
souk_userdb *persist_open_db(struct app *a, souk_err *e)
{
	const souk_config *cfg = app_config(a);
	souk_userdb *db;

	if (config_ensure_data_dir(cfg, e) < 0 || userdb_open(cfg->userdb, &db, e) < 0)
		return NULL;
	return db;
}

static void restore(struct app *a, const session_state *s)
{
	const match_row *old;
	match_row *marks;
	souk_filter f;
	souk_err e;
	cJSON *tr, *it;
	int n, i;

	tr = cJSON_Parse(s->transcript_json);
	cJSON_ArrayForEach(it, tr)
	{
		const cJSON *role = cJSON_GetObjectItemCaseSensitive(it, "role");
		const cJSON *text = cJSON_GetObjectItemCaseSensitive(it, "text");

		if (cJSON_IsString(text))
			app_chat_add(a,
			             cJSON_IsString(role) && strcmp(role->valuestring, "user") == 0
			                     ? CHAT_USER
			                     : CHAT_SOUK,
			             text->valuestring);
	}
	cJSON_Delete(tr);
	if (filter_from_json(s->filter_json, a->cfg->ref, &f, &e) == 0) {
		dialog_set_filter(app_dialog(a), &f);
		filter_free(&f);
	}
	/* marks from a previous session replace the current ones */
	while ((n = app_marked(a, &old)) > 0)
		app_set_mark(a, &old[n - 1], 0);
	if (session_marks_from_json(s->marks_json, &marks, &n, &e) == 0) {
		for (i = 0; i < n; i++) {
			app_set_mark(a, &marks[i], 1);
			match_row_free(&marks[i]);
		}
		free(marks);
	}
	/* the rows "similar" added: the grid shows what it showed */
	if (session_marks_from_json(s->similar_json, &marks, &n, &e) == 0) {
		app_restore_similar(a, marks, n);
		for (i = 0; i < n; i++)
			match_row_free(&marks[i]);
		free(marks);
	}
	/* the grid column when it still exists, else the catalog order */
	if (!s->sort_column || !*s->sort_column ||
	    app_set_sort_column(a, s->sort_column, s->descending) < 0)
		app_set_sort(a, (enum match_sort)s->sort, s->descending);
	/* they are in the session and on the shortlist already */
	app_marks_saved(a);
}

void persist_start(struct app *a, int fresh)
{
	session_state s;
	souk_err e;
	souk_userdb *db = persist_open_db(a, &e);
	int rc;

	if (db == NULL) {
		app_chat_add(a, CHAT_ERROR, e.msg);
		return;
	}
	rc = session_begin_for(db, app_catalog_path(a), fresh, &s, &e);
	if (rc < 0) {
		app_chat_add(a, CHAT_ERROR, e.msg);
	} else if (rc == 1) {
		restore(a, &s);
		app_chat_add(a, CHAT_INFO,
		             "Resumed your last session (souk --new starts afresh; /sessions lists "
		             "them).");
	}
	session_state_free(&s);
	userdb_close(db);
}

/* After every turn, edit, mark and sort change: one cheap transaction. */
void persist_record(struct app *a)
{
	session_input in = {0};
	const match_row *marks;
	enum match_sort sort;
	int col_desc;
	char *tr;
	souk_err e;
	souk_userdb *db = persist_open_db(a, &e);

	if (db == NULL) {
		app_message(a, "Session not saved: %s", e.msg);
		return;
	}
	tr = app_transcript_json(a);
	in.transcript_json = tr;
	in.filter = dialog_filter(app_dialog(a));
	in.nmarks = app_marked(a, &marks);
	in.marks = marks;
	in.nsimilar = app_similar_rows(a, &in.similar);
	in.catalog = app_catalog_path(a);
	app_get_sort(a, &sort, &in.descending);
	in.sort = (int)sort;
	app_get_sort_column(a, &in.sort_column, &col_desc);
	if (in.sort_column != NULL)
		in.descending = col_desc;
	if (session_record(db, &in, &e) < 0)
		app_message(a, "Session not saved: %s", e.msg);
	free(tr);
	userdb_close(db);
}

static void list_sessions(struct app *a, souk_userdb *db)
{
	session_state *v;
	char when[32], *cur = userdb_get(db, "current_session");
	souk_err e;
	int n, i;

	if (session_list(db, &v, &n, &e) < 0) {
		app_chat_add(a, CHAT_ERROR, e.msg);
		free(cur);
		return;
	}
	app_chat_add(a, CHAT_INFO, n ? "Sessions (/sessions N switches):" : "No saved sessions.");
	for (i = 0; i < n && i < 20; i++) {
		char *line;

		util_fmt_time(v[i].updated, when, sizeof when);
		line = xasprintf("%s %lld  %s  %s", cur && atoll(cur) == v[i].id ? "*" : " ",
		                 (long long)v[i].id, when, v[i].title[0] ? v[i].title : "(empty)");
		app_chat_add(a, CHAT_INFO, line);
		free(line);
	}
	session_list_free(v, n);
	free(cur);
}

static void switch_session(struct app *a, souk_userdb *db, long long id)
{
	char *cur = userdb_get(db, "current_session");
	int same = cur && atoll(cur) == id;
	session_state s;
	souk_err e;

	free(cur);
	if (same) {
		app_chat_add(a, CHAT_INFO, "That is the session open now.");
		return;
	}
	persist_record(a); /* keep what is on screen first */
	if (session_load(db, id, &s, &e) < 0) {
		app_chat_add(a, CHAT_ERROR, e.msg);
		return;
	}
	if (session_set_current(db, id, &e) < 0) {
		app_chat_add(a, CHAT_ERROR, e.msg);
	} else {
		app_chat_clear(a);
		restore(a, &s);
		app_refine(a);
	}
	session_state_free(&s);
}

static void list_lists(struct app *a, souk_userdb *db)
{
	shortlist_info *v;
	char *cur = shortlist_current(db), *line;
	souk_err e;
	int n, i;

	if (shortlist_list(db, &v, &n, &e) < 0) {
		app_chat_add(a, CHAT_ERROR, e.msg);
		free(cur);
		return;
	}
	if (n == 0)
		app_chat_add(a, CHAT_INFO, "No shortlists yet: Space marks offers into one.");
	for (i = 0; i < n; i++) {
		line = xasprintf("%s %s (%d offer%s)", util_strieq(v[i].name, cur) ? "*" : " ",
		                 v[i].name, v[i].nitems, v[i].nitems == 1 ? "" : "s");
		app_chat_add(a, CHAT_INFO, line);
		free(line);
	}
	shortlist_infos_free(v, n);
	free(cur);
}

unsigned persist_cmd_sessions(struct app *a, const command *c, const char *args)
{
	souk_err e;
	souk_userdb *db = persist_open_db(a, &e);

	if (db == NULL) {
		app_chat_add(a, CHAT_ERROR, e.msg);
		return 0;
	}
	if (args[0])
		switch_session(a, db, atoll(args));
	else
		list_sessions(a, db);
	userdb_close(db);
	return 0;
}

unsigned persist_cmd_shortlists(struct app *a, const command *c, const char *args)
{
	souk_err e;
	souk_userdb *db = persist_open_db(a, &e);

	(void)args;
	if (db == NULL) {
		app_chat_add(a, CHAT_ERROR, e.msg);
		return 0;
	}
	list_lists(a, db);
	userdb_close(db);
	return 0;
}

unsigned persist_cmd_shortlist(struct app *a, const command *c, const char *args)
{
	souk_err e;
	souk_userdb *db;
	char *line;

	if (args[0] == '\0') {
		app_push_view(a, &view_shortlist);
		return 0;
	}
	if ((db = persist_open_db(a, &e)) == NULL) {
		app_chat_add(a, CHAT_ERROR, e.msg);
		return 0;
	}
	if (shortlist_switch(db, args, &e) < 0) {
		app_chat_add(a, CHAT_ERROR, e.msg);
	} else {
		line = xasprintf("Marks now go to the shortlist \"%s\" (L shows it).", args);
		app_chat_add(a, CHAT_INFO, line);
		free(line);
	}
	userdb_close(db);
	return 0;
}
