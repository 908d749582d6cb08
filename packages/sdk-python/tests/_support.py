"""Makes `import hookline` load this checkout's package, however the tests are started
(`python3 -m unittest discover -s packages/sdk-python/tests` puts only this folder on sys.path)."""

import os
import sys

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if PACKAGE_ROOT not in sys.path:
    sys.path.insert(0, PACKAGE_ROOT)
