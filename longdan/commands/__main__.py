"""``python -m longdan.commands …`` is ``longdan …``."""

import sys

from longdan.commands import main

sys.exit(main())
