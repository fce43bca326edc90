/* cmd_dashboard: placeholder until this subcommand is built. */
#include "cmd.h"

int cmd_dashboard(const souk_config *cfg, int argc, char **argv)
{
	(void)cfg;
	(void)argc;
	(void)argv;
	return cmd_fail(1, "'dashboard' is not built yet");
}
