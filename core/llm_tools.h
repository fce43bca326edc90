/* llm_tools: the tools a model may call (update_filters, search_summary, compare_offers,
 * similar_offers), their schemas, and the catalog summary. */
#ifndef SOUK_LLM_TOOLS_H
#define SOUK_LLM_TOOLS_H

#include "dialog.h"
#include "ref.h"
#include "match.h"
#include "util.h"

struct cJSON;

typedef struct llm_tools {
	dialog *d;           /* the conversation's state: update_filters changes it */
	match_ctx *m;        /* the catalog, or NULL */
	const souk_ref *ref; /* the countries and certifications souk knows */
	match_row *marked;   /* the offers the buyer marked (owned by llm), or NULL */
	int nmarked;
} llm_tools;

/* The "tools" array of a chat request, in OpenAI's strict form: every
 * object has additionalProperties false and lists every property as
 * required; "not given" is null. Built from the filter field table. */
struct cJSON *tools_schema(void);

/* response_format for servers without tools: a JSON object with the same
 * shape as update_filters' arguments. */
struct cJSON *tools_response_format(void);

/* What one call did. */
typedef struct tools_outcome {
	char *result; /* JSON text sent back to the model (errors included) */
	int applied;  /* update_filters changed the state */
	int refused;  /* the arguments were refused (result says why) */
	char *said;   /* after an update: souk's description with the new counts */
} tools_outcome;

void tools_outcome_free(tools_outcome *o);

/* Runs the tool name with args (JSON text, untrusted). Never fails: a bad
 * call is answered with {"error": "..."} for the model to correct. */
void tools_run(llm_tools *t, const char *name, const char *args, tools_outcome *out);

/* Checks update_filters-shaped arguments and turns them into a delta on
 * the current state (-1 with e saying why, nothing changed). */
int tools_delta(llm_tools *t, const char *args, filter_delta *delta, souk_err *e);

/* The figures in reply that no number in grounds gives, as "a, b" (at
 * most five), or NULL when every one does. grounds is what souk sent the
 * model (prompt, catalog summary, filters, the buyer's words, tool
 * results). A figure matches a number that rounds to it at the figure's
 * own precision ("2.5" matches 2.47); "1,234" is 1234; digits inside a
 * word ("EN71") are names, not figures. */
char *tools_ungrounded(const char *reply, const char *grounds);

/* A compact summary of the catalog for the system prompt: size, top
 * categories, supplier countries, certifications and price ranges. */
char *tools_catalog_summary(llm_tools *t, const char *currency);

#endif
