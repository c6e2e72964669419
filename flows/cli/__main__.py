"""`python -m flows.cli …`, the same as `hled …`."""

from flows.cli import main

main()
