"""`python -m observe_app` runs the same entry point as `observe-app`."""

import sys

from observe_app.cli import main

sys.exit(main())
