/* llm: a conversation through an OpenAI-compatible model server: one turn as a non-blocking state
 * machine on a libcurl multi handle, with the offline interpreter as its fallback. */
#ifndef SOUK_LLM_H
#define SOUK_LLM_H

#include <stddef.h>
#include <sys/select.h>

#include "dialog.h"
#include "match.h"
#include "util.h"

struct cJSON;
struct curl_waitfd;

typedef struct llm llm;

typedef struct llm_settings {
	const char *url;            /* base URL, e.g. http://localhost:11434/v1 */
	const char *model;          /* NULL: the server's only model */
	const char *key;            /* NULL for local servers; sent as a bearer header only */
	const char *assets;         /* assets/llm/system-prompt.md is the prompt */
	const struct souk_ref *ref; /* the caller's reference data, for update_filters' checks */
	const char *config_dir;     /* a system-prompt.md here replaces it */
	long idle_ms;               /* no byte for this long fails the turn; 0: 30 s */
} llm_settings;

/* How a turn ended. */
typedef struct llm_outcome {
	char *reply;         /* what souk says, sanitised: the model's words or the offline reply */
	char *question;      /* the offline interpreter's next question, or NULL */
	char *why;           /* why the offline interpreter answered, or NULL */
	int offline;         /* the offline interpreter answered this turn */
	int cancelled;       /* llm_cancel stopped it: nothing of the turn is kept */
	int cut;             /* the model's reply was cut at LLM_MAX_REPLY */
	struct cJSON *calls; /* [{name, arguments, result, applied}] */
	double failed_at;    /* util_now() when a failure was known, else 0 */
	double done_at;      /* util_now() when the answer was ready */
} llm_outcome;

/* What a caller hears during a turn; every member may be NULL. */
typedef struct llm_events {
	/* reply text as it arrives, sanitised (newlines kept) */
	void (*text)(void *ud, const char *s, size_t n);
	/* a tool call ran; applied: the filters changed (refresh the results now) */
	void (*tool)(void *ud, const char *name, const char *args, const char *result, int applied);
	/* one line for the chat: why this turn was answered offline, or what
	 * the server cannot do (said once) */
	void (*notice)(void *ud, const char *line);
	/* the turn is over; the outcome stays valid until the next turn */
	void (*done)(void *ud, const llm_outcome *o);
	void *ud;
} llm_events;

/* d is the conversation's state (turns change it through it) and m the
 * catalog or NULL; neither is owned. Loads libcurl and the prompt. */
llm *llm_new(const llm_settings *s, dialog *d, match_ctx *m, souk_err *e);
void llm_free(llm *l);

/* The offers the buyer has marked, for compare_offers (copied; the
 * dashboard sets them before each turn). */
void llm_set_marked(llm *l, const match_row *rows, int n);

/* Starts a turn; fails only when one is running. ev is copied. */
int llm_start(llm *l, const char *line, const llm_events *ev, souk_err *e);

/* Moves the turn on without blocking; 1 while it runs, 0 when done (the
 * done event has fired). */
int llm_step(llm *l);

/* Waits up to timeout_ms for the network or one of the extra fds
 * (curl_multi_poll), then steps. Returns llm_step's answer. */
int llm_wait(llm *l, struct curl_waitfd *extra, unsigned n, int timeout_ms);

/* For a select() loop: adds libcurl's fds, and lowers *timeout_ms to when
 * the turn next needs llm_step. */
void llm_fdset(llm *l, fd_set *r, fd_set *w, fd_set *x, int *maxfd, long *timeout_ms);

/* Stops the turn in flight; filter changes it made are taken back and the
 * turn is not kept in the conversation. From inside a text callback it
 * takes effect when that llm_step returns. */
void llm_cancel(llm *l);

/* The blocking form for the command line: start, wait, done. */
int llm_turn(llm *l, const char *line, const llm_events *ev, souk_err *e);

const llm_outcome *llm_result(const llm *l);
/* When the bytes of the text being delivered reached souk (util_now()). */
double llm_arrived(const llm *l);
/* The model the turn used (after a lookup when none was configured). */
const char *llm_model(const llm *l);

#endif
