"""``python -m culture_lint``: the command line."""
from .cli import main

main()
