"""``python -I -S _peak.py OUT CMD...``: run CMD, write its peak RSS (KiB) to OUT.

Why a wrapper: ``ru_maxrss`` of a child also counts the memory image it was
forked from (the kernel records the old image's high-water mark at exec), so
measured straight from the benchmark process every child would look at least
as big as the benchmark itself.  This wrapper is a bare interpreter (-I -S,
a few MB), so the figure it reports is the command's own, descendants included.
Standard library only, no imports from the project.
"""

import os
import sys


def main() -> None:
    out, cmd = sys.argv[1], sys.argv[2:]
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    with open(out, "w") as fh:
        fh.write(str(usage.ru_maxrss))
    code = os.waitstatus_to_exitcode(status)
    sys.exit(code if code >= 0 else 128 - code)


main()
