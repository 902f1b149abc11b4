"""``python -m analysis_utils COMMAND …``: the command line (see :mod:`analysis_utils.cli`)."""
import sys

from .cli import main

sys.exit(main())
