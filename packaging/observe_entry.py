"""Entry point of the frozen app (PyInstaller needs a script, not a module)."""

import sys

from observe_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
