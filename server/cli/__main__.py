"""`python -m server.cli`: the `xunjian` command (used by `xunjian serve` for its children)."""

from server.cli import main

main()
