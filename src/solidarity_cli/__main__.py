"""Allow ``python -m solidarity_cli``."""

from solidarity_cli.cli.app import main

main()
