/* cmd_shortlist: placeholder until this subcommand is built. */
#include "cmd.h"

int cmd_shortlist(const souk_config *cfg, int argc, char **argv)
{
	(void)cfg;
	(void)argc;
	(void)argv;
	return cmd_fail(1, "'shortlist' is not built yet");
}
