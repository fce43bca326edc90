/* cmd_llm: `souk llm check`, and the model server as the commands open it. */
#ifndef SOUK_CMD_LLM_H
#define SOUK_CMD_LLM_H

#include "config.h"
#include "dialog.h"
#include "llm.h"
#include "match.h"

int cmd_llm(const souk_config *cfg, int argc, char **argv);

/* The conversation through the configured server (llm_url, llm_model,
 * llm_key; SOUK_LLM_IDLE_TIMEOUT in seconds for the stall limit). */
llm *cmd_llm_open(const souk_config *cfg, dialog *d, match_ctx *m, souk_err *e);

/* One turn through the model from the config's starting state (currency,
 * market), for `souk query --engine llm`: the filter it leaves. Why a turn
 * was answered offline goes to stderr. */
int cmd_llm_filter(const souk_config *cfg, match_ctx *m, const char *line, souk_filter *f,
                   souk_err *e);

/* Reads "--engine NAME" at argv[*i] (advancing *i); 1 when it was one, 0
 * when argv[*i] is another option, -1 after printing a usage error. */
int cmd_engine_option(int argc, char **argv, int *i, const char **engine);

#endif
