/* config: XDG paths, the asset directory, the config file and environment. */
#ifndef SOUK_CONFIG_H
#define SOUK_CONFIG_H

#include "util.h"

typedef struct souk_config {
	char *data_dir;    /* $XDG_DATA_HOME/souk (created on demand) */
	char *config_dir;  /* $XDG_CONFIG_HOME/souk */
	char *catalog;     /* default catalog: data_dir/catalog.db */
	char *userdb;      /* shortlists and sessions: data_dir/souk.db */
	char *history;     /* chat input history: data_dir/history */
	char *assets;      /* $SOUK_ASSETS, else ./assets beside the binary, else $(pkgdatadir)/assets */
	/* From the config file (key = value) and the environment. */
	char *currency;    /* default buyer currency, "USD" */
	char *market;      /* default market or NULL */
	char *llm_url;     /* OpenAI-compatible base URL or NULL ($SOUK_LLM_URL) */
	char *llm_model;   /* $SOUK_LLM_MODEL */
	char *llm_key;     /* $SOUK_LLM_KEY or $OPENAI_API_KEY */
	int no_color;      /* NO_COLOR set and non-empty */
} souk_config;

/* The asset directory: $SOUK_ASSETS, else ./assets beside the binary,
 * else the installed one (a new string). */
char *config_find_assets(const char *argv0);

/* Fills c from the environment and the config file. argv0 helps find the
 * assets of an uninstalled build. Does not create directories. */
int config_load(souk_config *c, const char *argv0, souk_err *e);
void config_free(souk_config *c);

/* data_dir exists afterwards (mode 0700). */
int config_ensure_data_dir(const souk_config *c, souk_err *e);

/* assets/NAME as a new string. */
char *config_asset(const souk_config *c, const char *name);

#endif
