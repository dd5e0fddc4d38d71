"""The temporary files a build stages beside their targets (`.NAME.XXXXXXXX.tmp`, and
`.NAME.replaced.tmp` for a file being replaced: write.py), and the sweep of those a
killed build left."""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

# In the output folder while a build stages files: found at the start of the next,
# it says that a build was killed, and every temporary file it may have left is
# removed. (Without it, no folder needs looking through: 10,000 entry pages' folders
# took 0.2 s to glob on every rebuild.)
STAGING = ".feedpub-staging"


_TEMPORARY = re.compile(r"\..+\.(?:[a-z0-9_]{8}|replaced)\.tmp\Z",  # (mkstemp's names)
                        re.DOTALL)


def remove_all_temporaries(root: Path) -> None:
    """Every file a killed build staged (`.NAME.XXXX.tmp`, `.NAME.replaced.tmp`) in the
    output folder and its folders (not hidden ones, such as `.git` where the output
    folder is a repository's: feedpub writes into none; nor through links)."""
    for folder, folders, names in os.walk(root):
        folders[:] = [f for f in folders if not f.startswith(".")]
        remove_temporaries_in(folder, names)


def remove_temporaries_in(folder: str | Path, names: list[str] | None = None) -> None:
    """The temporary files a build staged in `folder` (one folder, not below it)."""
    try:
        names = os.listdir(folder) if names is None else names
    except OSError:
        return
    for name in names:
        if _TEMPORARY.match(name):
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(folder, name))


def remove_stale_temporaries(path: Path) -> None:
    """Temporary files a killed build left behind (we hold the lock: none are live)."""
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()
