"""pytest-xdist: every item of one review runs on one worker, which analyses the review once.

xdist's default ``--dist load`` spreads a review's items over the workers, and each worker then
analyses the whole review again. Its scope scheduling keeps a review file together; other items
stay each their own scope, so they are spread as under ``load``.
"""

from __future__ import annotations

import fnmatch
from typing import Any


def make_scheduler(config: Any, log: Any, glob: str) -> Any:
    """A ``LoadScopeScheduling`` whose scopes are review files (imported only under xdist)."""
    from xdist.scheduler import LoadScopeScheduling  # type: ignore[import-untyped]

    class ReviewScheduling(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return path if fnmatch.fnmatch(path.rpartition("/")[2], glob) else nodeid

    return ReviewScheduling(config, log)
