"""Transitional: what ``surveys/cli.py`` still imports from here. The Vietnamese parser is
``longdan.commands.parser``; delete this module when ``surveys/cli.py`` becomes
``longdan/commands/surveys.py``."""

from longdan.commands.parser import CliError, VietnameseParser

__all__ = ["CliError", "VietnameseParser"]
