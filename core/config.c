/* config: XDG paths, the asset directory, the config file and environment. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* where `make install` puts assets/: $(pkgdatadir)/assets */
#ifndef SOUK_ASSETDIR
#define SOUK_ASSETDIR "/usr/local/share/souk/assets"
#endif

static char *xdg_dir(const char *var, const char *fallback)
{
	const char *v = getenv(var);
	const char *home = getenv("HOME");

	/* XDG says relative values are invalid and must be ignored. */
	if (v != NULL && v[0] == '/')
		return xasprintf("%s/souk", v);
	return xasprintf("%s/%s/souk", home && *home ? home : ".", fallback);
}

static int is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The directory of the running executable, or NULL. */
static char *exe_dir(const char *argv0)
{
	char exe[4096], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	if (n <= 0 && argv0 != NULL && strchr(argv0, '/') != NULL) {
		snprintf(exe, sizeof exe, "%s", argv0);
		n = (ssize_t)strlen(exe);
	}
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return NULL;
	*slash = '\0';
	return xstrdup(exe);
}

/* The binary embeds no build path (builds stay reproducible), so an
 * uninstalled souk finds its assets beside itself: the source tree has
 * assets/, and a build in another directory (VPATH, distcheck) gets an
 * assets link to the source tree from make. An installed souk finds
 * SOUK_ASSETDIR only. SOUK_ASSETS overrides both. */
char *config_find_assets(const char *argv0)
{
	const char *env = getenv("SOUK_ASSETS");
	char *dir, *cand;

	if (env != NULL && *env)
		return xstrdup(env);
	if ((dir = exe_dir(argv0)) != NULL) {
		cand = xasprintf("%s/assets", dir);
		free(dir);
		if (is_dir(cand))
			return cand;
		free(cand);
	}
	return xstrdup(SOUK_ASSETDIR);
}

/* Codes are letters only and upper-cased in place ("eur" -> "EUR"), so a
 * country name or a typo is refused here rather than matching nothing. */
static int code_check(char *v, size_t len, const char *what, souk_err *e)
{
	size_t i;

	for (i = 0; v[i] && isalpha((unsigned char)v[i]); i++)
		;
	if (i != len || v[i] != '\0') {
		err_set(e, "'%s' is not %s", v, what);
		return -1;
	}
	for (i = 0; v[i]; i++)
		v[i] = (char)toupper((unsigned char)v[i]);
	return 0;
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = (v != NULL && *v) ? xstrdup(v) : NULL;
}

static int read_config_file(souk_config *c, souk_err *e)
{
	char *path = xasprintf("%s/config", c->config_dir);
	FILE *f = fopen(path, "r");
	char line[1024];
	int lineno = 0;

	if (f == NULL) {
		free(path);
		return 0; /* no config file is the normal case */
	}
	while (fgets(line, sizeof line, f) != NULL) {
		char *eq, *k, *v;

		lineno++;
		k = trim(line);
		if (*k == '#' || *k == '\0')
			continue;
		eq = strchr(k, '=');
		if (eq == NULL) {
			err_set(e, "%s:%d: expected key = value", path, lineno);
			fclose(f);
			free(path);
			return -1;
		}
		*eq = '\0';
		k = trim(k);
		v = trim(eq + 1);
		if ((strcmp(k, "currency") == 0 &&
		     code_check(v, 3, "an ISO 4217 code such as EUR", e) < 0) ||
		    (strcmp(k, "market") == 0 &&
		     code_check(v, 2, "an ISO 3166 code such as DE or EU", e) < 0)) {
			char why[sizeof e->msg];

			snprintf(why, sizeof why, "%s", e->msg);
			err_set(e, "%s:%d: %s", path, lineno, why);
			fclose(f);
			free(path);
			return -1;
		}
		if (strcmp(k, "currency") == 0)
			set_str(&c->currency, v);
		else if (strcmp(k, "market") == 0)
			set_str(&c->market, v);
		else if (strcmp(k, "llm_url") == 0)
			set_str(&c->llm_url, v);
		else if (strcmp(k, "llm_model") == 0)
			set_str(&c->llm_model, v);
		else if (strcmp(k, "llm_key") == 0)
			set_str(&c->llm_key, v);
		else if (strcmp(k, "catalog") == 0)
			set_str(&c->catalog, v);
		else {
			err_set(e, "%s:%d: unknown setting '%s'", path, lineno, k);
			fclose(f);
			free(path);
			return -1;
		}
	}
	fclose(f);
	free(path);
	return 0;
}

int config_load(souk_config *c, const char *argv0, souk_err *e)
{
	const char *v;

	memset(c, 0, sizeof *c);
	c->data_dir = xdg_dir("XDG_DATA_HOME", ".local/share");
	c->config_dir = xdg_dir("XDG_CONFIG_HOME", ".config");
	c->catalog = xasprintf("%s/catalog.db", c->data_dir);
	c->userdb = xasprintf("%s/souk.db", c->data_dir);
	c->history = xasprintf("%s/history", c->data_dir);
	c->assets = config_find_assets(argv0);
	c->currency = xstrdup("USD");
	if (read_config_file(c, e) < 0)
		return -1;
	if ((v = getenv("SOUK_CATALOG")) != NULL && *v)
		set_str(&c->catalog, v);
	if ((v = getenv("SOUK_LLM_URL")) != NULL)
		set_str(&c->llm_url, v);
	if ((v = getenv("SOUK_LLM_MODEL")) != NULL)
		set_str(&c->llm_model, v);
	if ((v = getenv("SOUK_LLM_KEY")) != NULL || (v = getenv("OPENAI_API_KEY")) != NULL)
		set_str(&c->llm_key, v);
	v = getenv("NO_COLOR");
	c->no_color = v != NULL && *v != '\0';
	return 0;
}

void config_free(souk_config *c)
{
	free(c->data_dir);
	free(c->config_dir);
	free(c->catalog);
	free(c->userdb);
	free(c->history);
	free(c->assets);
	free(c->currency);
	free(c->market);
	free(c->llm_url);
	free(c->llm_model);
	free(c->llm_key);
	memset(c, 0, sizeof *c);
}

int config_ensure_data_dir(const souk_config *c, souk_err *e)
{
	return util_mkdirs(c->data_dir, e);
}

char *config_asset(const souk_config *c, const char *name)
{
	return xasprintf("%s/%s", c->assets, name);
}
