"""Transitional: what ``surveys/cli.py`` still imports from here. The ``longdan`` command lives in
``longdan.commands``; delete this module when ``surveys/cli.py`` becomes
``longdan/commands/surveys.py``."""

from longdan.commands import main
from longdan.commands.database import setup_django as _setup_django
from longdan.commands.parser import CliError

__all__ = ["CliError", "_setup_django", "main"]
