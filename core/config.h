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
	char *llm_key;     /* $SOUK_LLM_KEY or $OPENAI_API_KEY; never printed */
	char *engine;      /* "offline", "llm" or NULL ($SOUK_ENGINE) */
	int no_color;      /* NO_COLOR set and non-empty */
	/* The reference data (core/ref) loaded from assets once for the
	 * process by its entry point, for the commands that need it; NULL
	 * otherwise. config_free does not free it. */
	const struct souk_ref *ref;
} souk_config;

/* The asset directory: $SOUK_ASSETS, else ./assets beside the binary,
 * else the installed one (a new string). */
char *config_find_assets(const char *argv0);

/* Fills c from the environment and the config file. argv0 helps find the
 * assets of an uninstalled build. Does not create directories. */
int config_load(souk_config *c, const char *argv0, souk_err *e);
void config_free(souk_config *c);

enum config_engine { CONFIG_ENGINE_OFFLINE, CONFIG_ENGINE_LLM };

/* The engine that answers turns: override ("offline" | "llm", from
 * --engine) if given, else the config's engine, else llm when llm_url is
 * set, else offline. -1 with e set for an unknown name or llm without an
 * llm_url. */
int config_engine(const souk_config *c, const char *override, souk_err *e);

/* data_dir exists afterwards (mode 0700). */
int config_ensure_data_dir(const souk_config *c, souk_err *e);

/* assets/NAME as a new string. */
char *config_asset(const souk_config *c, const char *name);

#endif
