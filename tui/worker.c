/* worker: the match thread; newer requests interrupt older ones, stale results are dropped. */
#include "worker.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct request {
	unsigned gen;
	enum worker_kind kind;
	souk_filter f;
	match_opts o;
	int64_t *ids;
	int nids;
} request;

struct worker {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	match_ctx *m; /* opened by the thread itself: a big catalog takes seconds */
	char *catalog;
	const souk_ref *ref; /* the process's, shared read-only with the main thread */
	int open_failed;
	souk_err open_err;
	int wake_fd;
	int stopping;
	unsigned latest; /* generation of the newest request posted */
	int queued;      /* `next` holds a request */
	request next;
	int running; /* a request is being run */
	int have_done;
	worker_done done; /* newest finished result not yet taken */

	int ready; /* the catalog and dialog are open (or failed) */
	dialog *dlg;
	int dlg_queued, dlg_running, have_reply;
	enum worker_dialog_op dop;
	char *dline;
	filter_delta ddelta;
	worker_reply reply;
};

static void request_free(request *r)
{
	filter_free(&r->f);
	free(r->ids);
	r->ids = NULL;
	r->nids = 0;
}

static void run_one(worker *w, request *r, worker_done *d)
{
	double t0 = util_now();
	int rc;

	memset(d, 0, sizeof *d);
	match_result_init(&d->result);
	d->gen = r->gen;
	d->kind = r->kind;
	if (w->m == NULL) {
		d->failed = 1;
		d->err = w->open_err;
		return;
	}
	if (r->kind == WORKER_SIMILAR)
		rc = match_similar(w->m, &r->f, r->ids, r->nids, r->o.limit, &d->result, &d->err);
	else
		rc = match_run(w->m, &r->f, &r->o, &d->result, &d->err);
	d->failed = rc < 0;
	d->ms = (util_now() - t0) * 1000.0;
}

static void wake(worker *w)
{
	char c = 1;
	ssize_t n;

	/* the pipe is non-blocking: when full, the main loop is awake anyway */
	do
		n = write(w->wake_fd, &c, 1);
	while (n < 0 && errno == EINTR);
}

/* Runs the queued dialog job; called and returns with the lock held. */
static void run_dialog(worker *w)
{
	worker_reply r;
	enum worker_dialog_op op = w->dop;
	char *line = w->dline;
	filter_delta delta = w->ddelta;

	w->dline = NULL;
	w->dlg_queued = 0;
	w->dlg_running = 1;
	pthread_mutex_unlock(&w->lock);

	memset(&r, 0, sizeof r);
	if (w->dlg == NULL) {
		r.rc = -1;
		r.err = w->open_err;
	} else if (op == WD_TURN) {
		r.rc = dialog_turn(w->dlg, line ? line : "", &r.reply, &r.err);
	} else if (op == WD_EDIT) {
		r.rc = dialog_edit(w->dlg, &delta, &r.reply, &r.err);
	} else {
		r.rc = dialog_undo(w->dlg, &r.reply);
	}
	if (op == WD_EDIT)
		filter_delta_free(&delta);
	free(line);
	if (w->dlg)
		filter_copy(&r.filter, dialog_filter(w->dlg));
	else
		filter_init(&r.filter);

	pthread_mutex_lock(&w->lock);
	w->dlg_running = 0;
	w->reply = r;
	w->have_reply = 1;
	wake(w);
}

static void *worker_main(void *arg)
{
	worker *w = arg;
	match_ctx *m = match_open(w->catalog, w->ref, &w->open_err);
	dialog *dlg = m ? dialog_new(m, w->ref, &w->open_err) : NULL;

	pthread_mutex_lock(&w->lock);
	w->m = m;
	w->dlg = dlg;
	w->open_failed = m == NULL || dlg == NULL;
	w->ready = 1;
	pthread_cond_broadcast(&w->cond);
	for (;;) {
		request r;
		worker_done d;

		while (!w->queued && !w->dlg_queued && !w->stopping)
			pthread_cond_wait(&w->cond, &w->lock);
		if (w->stopping)
			break;
		if (w->dlg_queued) {
			run_dialog(w);
			continue;
		}
		r = w->next;
		w->queued = 0;
		w->running = 1;
		pthread_mutex_unlock(&w->lock);

		run_one(w, &r, &d);
		request_free(&r);

		pthread_mutex_lock(&w->lock);
		w->running = 0;
		if (d.gen == w->latest) {
			if (w->have_done)
				match_result_free(&w->done.result);
			w->done = d;
			w->have_done = 1;
			wake(w);
		} else {
			match_result_free(&d.result); /* superseded while it ran */
		}
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

worker *worker_start(const char *catalog, const souk_ref *ref, int wake_fd, souk_err *e)
{
	worker *w = xcalloc(1, sizeof *w);

	w->catalog = xstrdup(catalog);
	w->ref = ref;
	w->wake_fd = wake_fd;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
		err_set(e, "cannot start the match thread: %s", strerror(errno));
		pthread_mutex_destroy(&w->lock);
		pthread_cond_destroy(&w->cond);
		free(w->catalog);
		free(w);
		return NULL;
	}
	return w;
}

void worker_stop(worker *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = 1;
	if ((w->running || w->dlg_running) && w->m)
		match_interrupt(w->m);
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	if (w->queued)
		request_free(&w->next);
	if (w->have_done)
		match_result_free(&w->done.result);
	if (w->dlg_queued) {
		free(w->dline);
		if (w->dop == WD_EDIT)
			filter_delta_free(&w->ddelta);
	}
	if (w->have_reply) {
		dialog_reply_free(&w->reply.reply);
		filter_free(&w->reply.filter);
	}
	if (w->dlg)
		dialog_free(w->dlg);
	if (w->m)
		match_close(w->m);
	free(w->catalog);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	free(w);
}

unsigned worker_post(worker *w, enum worker_kind kind, const souk_filter *f, const match_opts *o,
                     const int64_t *ids, int nids)
{
	request r;
	unsigned gen;

	memset(&r, 0, sizeof r);
	r.kind = kind;
	filter_copy(&r.f, f);
	r.o = *o;
	if (nids > 0) {
		r.ids = xmalloc(sizeof *ids * (size_t)nids);
		memcpy(r.ids, ids, sizeof *ids * (size_t)nids);
		r.nids = nids;
	}
	pthread_mutex_lock(&w->lock);
	gen = r.gen = ++w->latest;
	if (w->queued)
		request_free(&w->next);
	w->next = r;
	w->queued = 1;
	/* the running query's answer is already stale: stop it now (but not
	 * a dialog job: its counts would come out wrong) */
	if (w->running && !w->dlg_running && w->m)
		match_interrupt(w->m);
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	return gen;
}

int worker_take(worker *w, worker_done *out)
{
	int got = 0;

	pthread_mutex_lock(&w->lock);
	if (w->have_done && w->done.gen == w->latest) {
		*out = w->done;
		got = 1;
	} else if (w->have_done) {
		match_result_free(&w->done.result);
	}
	w->have_done = 0;
	pthread_mutex_unlock(&w->lock);
	return got;
}

int worker_busy(worker *w)
{
	int busy;

	pthread_mutex_lock(&w->lock);
	busy = w->queued || (w->running && !w->dlg_running);
	pthread_mutex_unlock(&w->lock);
	return busy;
}

int worker_wait_ready(worker *w, souk_err *e)
{
	int ok;

	pthread_mutex_lock(&w->lock);
	while (!w->ready)
		pthread_cond_wait(&w->cond, &w->lock);
	ok = !w->open_failed;
	if (!ok)
		*e = w->open_err;
	pthread_mutex_unlock(&w->lock);
	return ok ? 0 : -1;
}

dialog *worker_dialog(worker *w)
{
	return w->dlg;
}

void worker_dialog_post(worker *w, enum worker_dialog_op op, const char *line, filter_delta *delta)
{
	pthread_mutex_lock(&w->lock);
	if (w->dlg_queued) { /* the caller keeps one in flight; never leak */
		free(w->dline);
		if (w->dop == WD_EDIT)
			filter_delta_free(&w->ddelta);
	}
	w->dop = op;
	w->dline = line ? xstrdup(line) : NULL;
	if (op == WD_EDIT && delta)
		w->ddelta = *delta; /* moved: the caller must not free it */
	else
		filter_delta_init(&w->ddelta);
	if (op != WD_EDIT)
		filter_delta_free(&w->ddelta);
	w->dlg_queued = 1;
	/* the grid query under way answers the old state: drop it */
	if (w->running && !w->dlg_running && w->m) {
		w->latest++;
		match_interrupt(w->m);
	}
	if (w->queued) {
		request_free(&w->next);
		w->queued = 0;
		w->latest++;
	}
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

int worker_take_reply(worker *w, worker_reply *out)
{
	int got;

	pthread_mutex_lock(&w->lock);
	got = w->have_reply;
	if (got)
		*out = w->reply;
	w->have_reply = 0;
	pthread_mutex_unlock(&w->lock);
	return got;
}
