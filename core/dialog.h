/* dialog: the conversation: applies turns and edits, undo, replies and the next question. */
#ifndef SOUK_DIALOG_H
#define SOUK_DIALOG_H

#include "filter.h"
#include "match.h"
#include "ref.h"
#include "util.h"

typedef struct dialog dialog;

/* m may be NULL (no catalog: replies then carry no counts or overviews);
 * the dialog does not own it, nor ref (the reference data: places,
 * certifications, taxonomy, market rules), which must outlive it. */
dialog *dialog_new(match_ctx *m, const souk_ref *ref, souk_err *e);
void dialog_free(dialog *d);

typedef struct dialog_reply {
	char *text;         /* what souk says: what changed and what it gives now */
	char *question;     /* the next question, or NULL */
	unsigned changed;   /* bitmask (1u << enum filter_field) of fields that changed */
	int similar_to_row; /* "more like #3": 3 (1-based row of the last result), else 0 */
	int is_command;     /* the line was a /command the dialog does not handle itself */
} dialog_reply;

void dialog_reply_free(dialog_reply *r);

/* One user turn (plain words). Each turn that changes the filter is one
 * undo step. Never fails on user input: nonsense gets a helpful reply. */
int dialog_turn(dialog *d, const char *line, dialog_reply *out, souk_err *e);

/* A sidebar edit: applies delta as one undo step and describes it. */
int dialog_edit(dialog *d, const filter_delta *delta, dialog_reply *out, souk_err *e);

/* Undo the last filter change; 0 when there was nothing to undo. */
int dialog_undo(dialog *d, dialog_reply *out);

const souk_filter *dialog_filter(const dialog *d);
/* Replace the whole state (a resumed session); clears undo history. */
void dialog_set_filter(dialog *d, const souk_filter *f);
/* Takes f as the state in one undo step, with no reply: the filters a
 * model server's turn set outside this dialog. */
void dialog_adopt_filter(dialog *d, const souk_filter *f);

#endif
