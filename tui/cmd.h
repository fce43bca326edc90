/* cmd: the subcommands behind `souk NAME ...`, one file each (tui/cmd_NAME.c). */
#ifndef SOUK_CMD_H
#define SOUK_CMD_H

#include "config.h"
#include "dialog.h"

/* argv[0] is the subcommand's name. Each returns the process exit status:
 * 0 success, 1 failure, 2 usage error. Errors are printed as
 * "souk: what went wrong (what to do)". */
int cmd_query(const souk_config *cfg, int argc, char **argv);
int cmd_interpret(const souk_config *cfg, int argc, char **argv);
int cmd_import(const souk_config *cfg, int argc, char **argv);
int cmd_demo(const souk_config *cfg, int argc, char **argv);
int cmd_shortlist(const souk_config *cfg, int argc, char **argv);
/* The dashboard; argv holds the global options (--db FILE, --new). */
int cmd_dashboard(const souk_config *cfg, int argc, char **argv);

/* A conversation that starts where the config file says: its currency
 * and market (`souk query TEXT`, the llm engine). m may be NULL. */
dialog *cmd_dialog_new(const souk_config *cfg, match_ctx *m, souk_err *e);

/* Shared by the subcommands: print "souk: ..." to stderr; returns status. */
int cmd_fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
