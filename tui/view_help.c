/* view_help: keys and commands, generated from the binding table and the command records. */
#include <stdlib.h>

#include "app.h"
#include "command.h"
#include "pager.h"

/* Every context's keys: one line per action, its keys joined. */
static void help_keys(pager *p, enum key_ctx ctx)
{
	int i;

	pager_add(p, TH_TITLE, 0, bindings_ctx_name(ctx));
	for (i = 0; i < nbindings; i++) {
		const binding *b = &bindings[i];
		char *keys;

		if (b->ctx != ctx || b->help == NULL)
			continue;
		keys = b->key ? bindings_keys_for(ctx, b->action) : NULL;
		pager_addf(p, TH_NORMAL, 2, "%-26s %s", keys ? keys : b->label, b->help);
		free(keys);
	}
}

static void help_commands(pager *p)
{
	int i;

	pager_add(p, TH_TITLE, 0, "Commands (type in the chat)");
	for (i = 0; i < ncommands; i++)
		pager_addf(p, TH_NORMAL, 2, "%-12s %s%s%s", commands[i].name, commands[i].usage,
		           *commands[i].usage ? "  " : "", commands[i].help);
}

static void *help_open(struct app *a)
{
	static const enum key_ctx first[] = {KC_ALL, KC_CHAT, KC_GRID, KC_SIDEBAR};
	static const enum key_ctx views[] = {KC_PAGER, KC_COMPARE, KC_LIST, KC_SHORTLIST};
	pager *p = xcalloc(1, sizeof *p);
	size_t i;

	(void)a;
	p->title = " Help   (Esc closes)";
	for (i = 0; i < sizeof first / sizeof first[0]; i++)
		help_keys(p, first[i]);
	help_commands(p);
	pager_add(p, TH_TITLE, 0, "Talking to souk");
	pager_add(p, TH_NORMAL, 2,
	          "Say what you need: \"pickleball paddles for the US under $8, MOQ below 500\".");
	pager_add(p, TH_NORMAL, 2,
	          "Refine with more turns: \"only verified\", \"cheaper\", \"more like #3\".");
	for (i = 0; i < sizeof views / sizeof views[0]; i++)
		help_keys(p, views[i]);
	return p;
}

const struct pane view_help = {
        .name = "help",
        .ctx = KC_PAGER,
        .help = "keys and commands",
        .open = help_open,
        .close = pager_close,
        .draw = pager_draw,
        .key = pager_key,
};
