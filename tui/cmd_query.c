/* cmd_query: placeholder until this subcommand is built. */
#include "cmd.h"

int cmd_query(const souk_config *cfg, int argc, char **argv)
{
	(void)cfg;
	(void)argc;
	(void)argv;
	return cmd_fail(1, "'query' is not built yet");
}
