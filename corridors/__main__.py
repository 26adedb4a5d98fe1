"""Run the command line with ``python -m corridors``."""

from corridors.cli import main

main()
