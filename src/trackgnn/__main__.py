"""``python -m trackgnn`` is the ``trackgnn`` command."""

import sys

from trackgnn.cli import main

sys.exit(main())
