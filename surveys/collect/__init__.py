"""Collecting responses: the web form, anonymous links, quotas, spreadsheet import, ODK Collect."""
