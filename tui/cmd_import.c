/* cmd_import: placeholder until this subcommand is built. */
#include "cmd.h"

int cmd_import(const souk_config *cfg, int argc, char **argv)
{
	(void)cfg;
	(void)argc;
	(void)argv;
	return cmd_fail(1, "'import' is not built yet");
}
