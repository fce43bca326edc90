/* cmd_interpret: placeholder until this subcommand is built. */
#include "cmd.h"

int cmd_interpret(const souk_config *cfg, int argc, char **argv)
{
	(void)cfg;
	(void)argc;
	(void)argv;
	return cmd_fail(1, "'interpret' is not built yet");
}
