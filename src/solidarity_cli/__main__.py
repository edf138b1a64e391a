"""Allow ``python -m solidarity_cli``."""

from solidarity_cli.cli.entry import main

main()
