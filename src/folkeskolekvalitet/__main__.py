"""``python -m folkeskolekvalitet`` is the ``folkeskolekvalitet`` command."""

import sys

from folkeskolekvalitet.cli import main

if __name__ == "__main__":
    sys.exit(main())
