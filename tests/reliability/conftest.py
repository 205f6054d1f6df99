"""The reliability suite's tree: a pytester project with a plain passing test, and the checks every case makes.

Every case runs a real pytest session over bad input and asserts that the session survived it
(SPEC 8): the exit code says "tests failed" at worst, no INTERNALERROR, collection was not
interrupted, the plain test beside the bad input still passed, and no file of the tree changed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

PLAIN = "def test_plain():\n    assert True\n"
PLAIN_PASSED = "PASSED test_plain.py::test_plain"
PYTEST_OWN = frozenset({".pytest_cache", "__pycache__"})  # pytest's, not reviewgate's
PYTESTER_OWN = frozenset({"stdout", "stderr"})  # runpytest_subprocess keeps the output (and its basetemp) here
# Hypothesis' plugin imports all of hypothesis at each session's end (2-3 s here), and an in-process
# pytester run drops the modules it imported: every run would pay for it again.
NO_HYPOTHESIS = ("-p", "no:hypothesispytest")


class Tree:
    """A pytester project with ``test_plain.py``; ``run`` records which files a session changed."""

    def __init__(self, pytester: pytest.Pytester) -> None:
        self.pytester = pytester
        self.path = pytester.path
        self.changed: list[str] = []
        self.write("test_plain.py", PLAIN)

    def write(self, name: str, content: str | bytes) -> Path:
        """Write bytes exactly as given (text as UTF-8, line endings untouched)."""
        path = self.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    def files(self) -> dict[str, bytes]:
        """Every regular file of the tree (symlinks read through), but pytest's own caches."""
        out: dict[str, bytes] = {}
        for path in sorted(self.path.rglob("*")):
            relative = path.relative_to(self.path)
            if PYTEST_OWN & set(relative.parts) or not path.is_file() or relative.as_posix() in PYTESTER_OWN:
                continue
            if relative.parts[0].startswith("runpytest-"):
                continue
            out[relative.as_posix()] = path.read_bytes()
        return out

    def run(self, *args: str, subprocess: bool = False, timeout: float | None = None) -> pytest.RunResult:
        """One session with ``-rA``; afterwards ``changed`` lists the files it created, changed or removed."""
        before = self.files()
        if subprocess:
            result = self.pytester.runpytest_subprocess(*NO_HYPOTHESIS, "-rA", *args, timeout=timeout)
        else:
            result = self.pytester.runpytest(*NO_HYPOTHESIS, "-rA", *args)
        after = self.files()
        self.changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
        return result

    @staticmethod
    def failures(result: pytest.RunResult) -> str:
        """The FAILURES section of a run: each failure's report, without the short summary that repeats it.

        The short summary shows a failure's whole message when pytest runs on CI (``$CI`` set) and a
        line cut to the terminal's width elsewhere, so counts are made here.
        """
        text = result.stdout.str()
        start = text.find(" FAILURES ")
        end = text.find("\n==", start)
        return text[start:end] if start != -1 else ""

    def survived(
        self,
        result: pytest.RunResult,
        ret: pytest.ExitCode = pytest.ExitCode.TESTS_FAILED,
        *,
        plugin_traceback: bool = False,
        changed: tuple[str, ...] = (),
    ) -> None:
        """What every case asserts: the session ran to its end and reported the problem as items."""
        output = result.stdout.str() + "\n" + result.stderr.str()
        assert "INTERNALERROR" not in output
        assert "Interrupted" not in output
        assert result.ret == ret, output[-3000:]
        result.stdout.fnmatch_lines([PLAIN_PASSED])
        assert self.changed == sorted(changed)
        if not plugin_traceback:  # a failing item shows the problem, never the plugin's own frames
            assert "pytest_reviewgate/" not in output.replace("\\", "/")


@pytest.fixture
def tree(pytester: pytest.Pytester) -> Tree:
    return Tree(pytester)
