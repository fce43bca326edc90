/* results: the worker's traffic: dialog jobs queued and replies taken, the grid's queries, similar
 * offers. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"

static void after_reply(app *a, const dialog_reply *r);

/* ---- the conversation, on the worker thread ---- */

static void dlg_next(app *a)
{
	struct dlg_op op;

	if (a->dlg_busy || a->nops == 0 || a->llm_busy)
		return;
	op = a->ops[0];
	memmove(a->ops, a->ops + 1, sizeof *a->ops * (size_t)(a->nops - 1));
	a->nops--;
	a->dlg_reset = op.reset;
	a->dlg_op = op.op;
	worker_dialog_post(a->wk, op.op, op.line, op.op == WD_EDIT ? &op.delta : NULL);
	free(op.line);
	a->dlg_busy = 1;
	a->timing.dlg_t0 = util_now();
}

static void dlg_queue(app *a, enum worker_dialog_op kind, const char *line, filter_delta *d)
{
	struct dlg_op *op;

	a->ops = xrealloc(a->ops, sizeof *a->ops * (size_t)(a->nops + 1));
	op = &a->ops[a->nops++];
	memset(op, 0, sizeof *op);
	op->op = kind;
	op->line = line ? xstrdup(line) : NULL;
	if (d) {
		op->delta = *d; /* moved */
		op->reset = d->reset;
	}
	dlg_next(a);
}

void app_dialog_turn(app *a, const char *line)
{
	dlg_queue(a, WD_TURN, line, NULL);
}

void app_dialog_edit(app *a, filter_delta *d)
{
	dlg_queue(a, WD_EDIT, NULL, d);
}

void app_dialog_next(app *a)
{
	dlg_next(a);
}

void app_dialog_undo(app *a)
{
	dlg_queue(a, WD_UNDO, NULL, NULL);
}

static void take_reply(app *a)
{
	worker_reply r;
	int was_busy = a->busy;

	if (!worker_take_reply(a->wk, &r))
		return;
	a->dlg_busy = 0;
	{
		double ms = (util_now() - a->timing.dlg_t0) * 1000.0;

		a->timing.reply_sum_ms += ms;
		if (ms > a->timing.reply_max_ms)
			a->timing.reply_max_ms = ms;
		a->timing.nreplies++;
	}
	filter_free(&a->filter);
	a->filter = r.filter;
	if (a->dlg_op == WD_UNDO && r.rc == 0) {
		app_message(a, "Nothing to undo");
	} else if (r.rc < 0) {
		app_chat_add(a, CHAT_ERROR, r.err.msg);
	} else {
		if (a->dlg_reset)
			results_clear_similar(a);
		after_reply(a, &r.reply);
	}
	/* a grid query the job interrupted, or a reset to the same state,
	 * still needs an answer */
	if (!(r.rc >= 0 && r.reply.changed) && (was_busy || a->dlg_reset))
		results_post(a);
	dialog_reply_free(&r.reply);
	if (a->changed_pending)
		app_changed(a);
	dlg_next(a);
}

/* ---- the grid's queries ---- */

void results_post(app *a)
{
	match_opts o;

	match_opts_init(&o);
	o.limit = APP_ROWS_LIMIT;
	o.facets = 1;
	app_get_sort(a, &o.sort, &o.descending);
	a->want_gen = worker_post(a->wk, WORKER_RUN, &a->filter, &o, NULL, 0);
	a->busy = 1;
}

void results_clear_similar(app *a)
{
	int i;

	if (a->nextra == 0)
		return;
	grid_detach(a);

	for (i = 0; i < a->nextra; i++)
		match_row_free(&a->extra[i]);
	free(a->extra);
	a->extra = NULL;
	a->nextra = 0;
	grid_rebuild(a);
}

int app_similar_rows(struct app *a, const match_row **rows)
{
	if (rows)
		*rows = a->extra;
	return a->nextra;
}

void app_restore_similar(struct app *a, const match_row *rows, int n)
{
	int i;

	results_clear_similar(a);
	if (n <= 0)
		return;
	grid_detach(a);
	a->extra = xcalloc((size_t)n + 1, sizeof *a->extra);
	for (i = 0; i < n; i++)
		match_row_copy(&a->extra[a->nextra++], &rows[i]);
	grid_rebuild(a);
}

static void similar_for(app *a, const int64_t *ids, int n)
{
	match_opts o;

	if (n == 0) {
		app_message(a, "Mark offers with Space, or put the cursor on one, then press S");
		return;
	}
	match_opts_init(&o);
	/* the nearest offers are often in the grid already: ask for enough
	 * to still find APP_SIMILAR_NEW that are not */
	o.limit = APP_SIMILAR_NEW + grid_rows(a, NULL);
	a->want_gen = worker_post(a->wk, WORKER_SIMILAR, &a->filter, &o, ids, n);
	a->busy = 1;
	app_message(a, "Looking for offers similar to %d offer%s...", n, n == 1 ? "" : "s");
}

void results_similar(app *a)
{
	int64_t *ids;
	int n = 0, i;
	const match_row *cur = grid_current(a);

	if (a->busy) {
		app_message(a, "Still refining: press S again once the grid has settled");
		return;
	}
	ids = xcalloc((size_t)a->nmarks + 1, sizeof *ids);
	for (i = 0; i < a->nmarks; i++)
		ids[n++] = a->marks[i].product_id;
	if (n == 0 && cur)
		ids[n++] = cur->product_id;
	similar_for(a, ids, n);
	free(ids);
}

static void after_reply(app *a, const dialog_reply *r)
{
	if (r->text && *r->text)
		app_chat_add(a, CHAT_SOUK, r->text);
	if (r->question && *r->question)
		app_chat_add(a, CHAT_QUESTION, r->question);
	a->changed = r->changed;
	if (r->changed) {
		results_clear_similar(a);
		results_post(a);
	}
	if (r->similar_to_row > 0) {
		const match_row *const *rows;

		if (r->similar_to_row <= grid_rows(a, &rows)) {
			int64_t id = rows[r->similar_to_row - 1]->product_id;

			if (!r->changed)
				similar_for(a, &id, 1);
		} else {
			app_message(a, "There is no row %d in the grid", r->similar_to_row);
		}
	}
	app_changed(a);
}

/* "105 products from 62 suppliers", worded as the dialog words it, so a
 * restored line that already says it can be recognised. */
static char *count_words(const app *a)
{
	char n1[32], n2[32];

	return xasprintf("%s product%s from %s supplier%s",
	                 app_fmt_count(a->res.total, n1, sizeof n1), a->res.total == 1 ? "" : "s",
	                 app_fmt_count(a->res.suppliers, n2, sizeof n2),
	                 a->res.suppliers == 1 ? "" : "s");
}

/* A resumed transcript replays the counts of the catalog it was made on,
 * perhaps another one: after the first results, one line gives today's
 * count, unless the last count in the chat already says the same. */
static void recount(app *a)
{
	char *now = count_words(a), *line;
	int i;

	a->recount = 0;
	for (i = a->nchat - 1; i >= 0; i--) {
		if (a->chat[i].role == CHAT_USER)
			break; /* a turn with no count after it */
		if (a->chat[i].role == CHAT_SOUK && strstr(a->chat[i].text, " from ") &&
		    strstr(a->chat[i].text, " supplier"))
			break;
	}
	if (i < 0 || a->chat[i].role != CHAT_SOUK || strstr(a->chat[i].text, now) == NULL) {
		line = xasprintf("On this catalog now: %s.", now);
		app_chat_add(a, CHAT_SOUK, line);
		free(line);
	}
	free(now);
}

/* 1 when the offer is in the grid already, as a result or a similar one. */
static int is_shown(const app *a, int64_t id)
{
	int i;

	for (i = 0; a->have_result && i < a->res.nrows; i++)
		if (a->res.rows[i].product_id == id)
			return 1;
	for (i = 0; i < a->nextra; i++)
		if (a->extra[i].product_id == id)
			return 1;
	return 0;
}

/* Nothing new to add: the cursor goes to the closest offer instead,
 * which answers "what is most like this?" all the same. */
static void show_closest(app *a, int64_t id)
{
	const match_row *const *rows;
	int i, n = grid_rows(a, &rows);

	for (i = 0; i < n; i++)
		if (rows[i]->product_id == id) {
			grid_put_cursor(a, i);
			app_message(a,
			            "The offers most like these are in the grid already: the "
			            "cursor is on the closest, row %d",
			            i + 1);
			return;
		}
	app_message(a, "The offers most like these are in the grid already");
}

/* Similar offers join one labelled group at the end of the grid. Only
 * offers not shown yet count: moving a row the buyer already sees to the
 * end and calling it added would be a lie. */
static void take_similar(app *a, const match_result *sim)
{
	int i, added = 0;

	grid_detach(a);
	a->extra = xrealloc(a->extra, sizeof *a->extra * (size_t)(a->nextra + APP_SIMILAR_NEW + 1));
	for (i = 0; i < sim->nrows && added < APP_SIMILAR_NEW; i++) {
		if (is_shown(a, sim->rows[i].product_id))
			continue;
		match_row_copy(&a->extra[a->nextra++], &sim->rows[i]);
		added++;
	}
	grid_rebuild(a);
	if (added > 0) {
		grid_put_cursor(a, grid_rows(a, NULL) - added);
		app_message(
		        a,
		        "%d similar offer%s added at the end of the grid (labelled \"similar to\")",
		        added, added == 1 ? "" : "s");
	} else if (sim->nrows > 0) {
		show_closest(a, sim->rows[0].product_id);
	} else {
		app_message(a, "No similar offers found");
	}
	app_changed(a);
}

void results_take(app *a)
{
	worker_done d;
	char buf[64];

	while (read(a->wake[0], buf, sizeof buf) > 0)
		;
	take_reply(a);
	if (!worker_take(a->wk, &d))
		return;
	if (d.gen != a->want_gen) {
		match_result_free(&d.result);
		return;
	}
	a->busy = 0;
	a->last_query_ms = d.ms;
	if (d.failed) {
		app_chat_add(a, CHAT_ERROR, d.err.msg);
		match_result_free(&d.result);
		return;
	}
	if (d.kind == WORKER_SIMILAR) {
		take_similar(a, &d.result);
		match_result_free(&d.result);
		return;
	}
	grid_detach(a);
	if (a->have_result)
		match_result_free(&a->res);
	a->res = d.result;
	a->have_result = 1;
	grid_rebuild(a);
	if (a->recount)
		recount(a);
	if (a->res.total == 0 && a->res.relax)
		app_message(a, "No offers: %s", a->res.relax);
}
