/* worker: the match thread; newer requests interrupt older ones, stale results are dropped. */
#ifndef SOUK_WORKER_H
#define SOUK_WORKER_H

#include <stdint.h>

#include "filter.h"
#include "match.h"
#include "util.h"

typedef struct worker worker;

enum worker_kind { WORKER_RUN, WORKER_SIMILAR };

/* Starts the thread, which opens its own match_ctx on catalog (if that
 * fails, every request fails with the reason). Finished results are
 * announced by writing one byte to wake_fd. */
worker *worker_start(const char *catalog, const char *assets, int wake_fd, souk_err *e);
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

#endif
