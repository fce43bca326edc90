/* command: the chat's slash commands as records {name, alias, usage, help, exec}: parsing, help,
 * Tab completion. */
#ifndef SOUK_COMMAND_H
#define SOUK_COMMAND_H

struct app;

typedef struct command {
	const char *name;  /* "/save!", as typed */
	const char *alias; /* another name ("/q"), or NULL */
	const char *usage; /* "PATH", "[N]", "" */
	const char *help;
	int idle; /* waits until no dialog job is on the worker */
	/* args is "" when absent; returns enum pane_result bits for the loop */
	unsigned (*exec)(struct app *a, const struct command *c, const char *args);
} command;

extern const command commands[];
extern const int ncommands;

/* Runs the line "/NAME ARGS" (it starts with the slash); an unknown name is said in the chat.
 * Returns enum pane_result bits. */
unsigned command_run(struct app *a, const char *line);
/* "/save", "/save!", ...: every command as typed, for Tab completion
 * (the array is the caller's to free, the names are the table's). */
const char **command_names(int *n);

#endif
