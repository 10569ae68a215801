"""XLSForm fixtures built from Python lists (see :mod:`surveys.tests.forms.builder`)."""
