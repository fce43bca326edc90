/* cmd_demo: placeholder until this subcommand is built. */
#include "cmd.h"

int cmd_demo(const souk_config *cfg, int argc, char **argv)
{
	(void)cfg;
	(void)argc;
	(void)argv;
	return cmd_fail(1, "'demo' is not built yet");
}
