"""``python -m infra.local [--port 8000] [--data-dir .tradewind] [--host 127.0.0.1]``."""

import sys

from infra.local.server import main

main(sys.argv[1:])
