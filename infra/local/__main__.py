"""``python -m infra.local [--port 8000] [--data-dir .tradewind] [--host 127.0.0.1] [--no-seed]``.

The process ends as soon as ``main`` has saved the state: Step Functions executions still running
on moto's (non-daemon) threads are abandoned rather than waited for, as they would be on a crash.
"""

import os
import sys

from infra.local.server import main

code = 1
try:
    main(sys.argv[1:])
    code = 0
except SystemExit as exit_:
    code = exit_.code if isinstance(exit_.code, int) else 1
finally:
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
