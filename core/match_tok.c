/* match_tok: the catalog's FTS5 tokenizer, made as its schema declares it, and text cut into its
 * terms, for the index's postings and the searches that read them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match_int.h"

/* The words of the search index's tokenize option, as the catalog's
 * schema declares it ("porter unicode61 remove_diacritics 2"): a keyword
 * is cut into terms exactly as FTS5 cuts the catalog. How many, at most
 * max (0: none declared or unreadable). */
#define TOK_WORDS 8

static int tok_spec(sqlite3 *db, char *buf, size_t size, char **w, int max)
{
	sqlite3_stmt *st;
	const char *sql = NULL, *p;
	char *save = NULL;
	int n = 0;

	buf[0] = 0;
	if (sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master WHERE name = 'products_fts'", -1,
	                       &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		sql = (const char *)sqlite3_column_text(st, 0);
	if (sql && (p = strstr(sql, "tokenize='")) != NULL) {
		size_t len = strcspn(p + 10, "'");
		if (len < size && p[10 + len] == '\'')
			snprintf(buf, size, "%.*s", (int)len, p + 10);
	}
	sqlite3_finalize(st);
	for (char *s = strtok_r(buf, " ", &save); s && n < max; s = strtok_r(NULL, " ", &save))
		w[n++] = s;
	return n;
}

int match_tok_make(sqlite3 *db, fts5_tokenizer *api, Fts5Tokenizer **tok)
{
	fts5_api *fts = NULL;
	sqlite3_stmt *st;
	void *ud = NULL;
	char spec[256], *w[TOK_WORDS];
	int nw;

	*tok = NULL;
	if ((nw = tok_spec(db, spec, sizeof spec, w, TOK_WORDS)) == 0 ||
	    sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_pointer(st, 1, (void *)&fts, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	if (!fts || fts->xFindTokenizer(fts, w[0], &ud, api) != SQLITE_OK ||
	    api->xCreate(ud, (const char **)w + 1, nw - 1, tok) != SQLITE_OK) {
		*tok = NULL;
		return 0;
	}
	return 1;
}

int match_tok_ready(match_ctx *m)
{
	if (m->tok)
		return 1;
	if (m->tok_failed)
		return 0;
	m->tok_failed = !match_tok_make(m->db, &m->tok_api, &m->tok);
	return !m->tok_failed;
}

void match_tok_close(match_ctx *m)
{
	if (m->tok)
		m->tok_api.xDelete(m->tok);
	m->tok = NULL;
}

static int cut_cb(void *ctx, int flags, const char *s, int n, int start, int end)
{
	match_toks *t = ctx;

	(void)flags;
	(void)start;
	(void)end;
	if (n < 0)
		n = 0;
	if (n > MATCH_FTS5_TOKEN_MAX)
		n = MATCH_FTS5_TOKEN_MAX;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->at = xrealloc(t->at, sizeof *t->at * (size_t)t->cap);
		t->len = xrealloc(t->len, sizeof *t->len * (size_t)t->cap);
	}
	t->at[t->n] = (uint32_t)t->bytes.len;
	t->len[t->n++] = (uint32_t)n;
	sb_addn(&t->bytes, s, (size_t)n);
	sb_addc(&t->bytes, '\0');
	return SQLITE_OK;
}

int match_tok_cut(match_ctx *m, const char *s, int len, int flags, match_toks *t)
{
	t->n = 0;
	t->bytes.len = 0;
	return m->tok_api.xTokenize(m->tok, t, flags, s, len, cut_cb) == SQLITE_OK;
}

void match_tok_free(match_toks *t)
{
	sb_free(&t->bytes);
	free(t->at);
	free(t->len);
}
