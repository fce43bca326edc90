/* worker: the match thread; newer requests interrupt older ones, stale results are dropped. */
#ifndef SOUK_WORKER_H
#define SOUK_WORKER_H

#include <stdint.h>

#include "dialog.h"
#include "filter.h"
#include "match.h"
#include "util.h"

typedef struct worker worker;

enum worker_kind { WORKER_RUN, WORKER_SIMILAR };

/* Starts the thread, which opens its own match_ctx on catalog and a
 * dialog on it (if that fails, every request fails with the reason). Finished results are
 * announced by writing one byte to wake_fd. */
worker *worker_start(const char *catalog, const souk_ref *ref, int wake_fd, souk_err *e);

/* Interrupts any running query and joins the thread. */
void worker_stop(worker *w);

/* Queues a request, replacing any queued one and interrupting the running
 * one. ids/nids: the products to find similar offers for (WORKER_SIMILAR).
 * Returns the request's generation (increasing). */
unsigned worker_post(worker *w, enum worker_kind kind, const souk_filter *f, const match_opts *o,
                     const int64_t *ids, int nids);

typedef struct worker_done {
	unsigned gen;
	enum worker_kind kind;
	int failed; /* then err holds why */
	souk_err err;
	match_result result; /* owned by the caller after worker_take */
	double ms;           /* how long the query took */
} worker_done;

/* The latest finished result, if it is newer than any taken; 0 when none.
 * Results of superseded requests never come out. */
int worker_take(worker *w, worker_done *out);
/* 1 while a request is queued or running. */
int worker_busy(worker *w);

/* The conversation runs on this thread too, with this thread's catalog
 * connection, so a turn that counts or surveys the catalog never holds up
 * typing. One dialog job at a time: post the next after taking the reply. */
enum worker_dialog_op { WD_TURN, WD_EDIT, WD_UNDO };

/* Blocks until the thread has opened the catalog and the dialog; -1 (e
 * filled) when that failed. */
int worker_wait_ready(worker *w, souk_err *e);
/* The dialog: touch it from another thread only while no dialog job is
 * queued or running (before the first, or after taking a reply). */
dialog *worker_dialog(worker *w);
/* line for WD_TURN; delta for WD_EDIT (ownership passes to the worker).
 * A running grid query is interrupted and dropped: the caller posts a new
 * one after the reply. */
void worker_dialog_post(worker *w, enum worker_dialog_op op, const char *line, filter_delta *delta);

typedef struct worker_reply {
	int rc; /* dialog_turn/dialog_edit's, or dialog_undo's (0: nothing) */
	souk_err err;
	dialog_reply reply; /* owned by the caller */
	souk_filter filter; /* the state after the job, owned by the caller */
} worker_reply;

/* The finished dialog job; 0 when none. */
int worker_take_reply(worker *w, worker_reply *out);

#endif
