"""Under pytest-xdist's default ``--dist load``, every item of one review runs on one worker."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("xdist")

RULES = ("mocks-undone, mocks-autospecced, patch-targets-exist, cleanup-registered, tests-assert, "
         "no-hardcoded-uuids, env-reverted-via-fixtures, no-unreverted-monkeypatch")

RECORDER = '''
import json


def pytest_runtest_logreport(report):
    node = getattr(report, "node", None)  # the controller's report names the worker
    if report.when == "call" and node is not None:
        WORKERS[report.nodeid] = node.gateway.id


def pytest_sessionfinish(session):
    if not hasattr(session.config, "workerinput"):
        with open("workers.json", "w") as out:
            json.dump(WORKERS, out)


WORKERS = {}
'''


def test_items_of_one_review_run_on_one_worker(pytester: pytest.Pytester) -> None:
    reviews = 8
    for number in range(reviews):
        pytester.makepyfile(**{f"test_mod{number}": "def test_one():\n    assert 1 + 1 == 2\n"})
        review = f"Review of test_mod{number}.py.\n\nexpect: {RULES}\n"
        pytester.makefile(".review.txt", **{f"test_mod{number}": review})
    pytester.makepyfile(test_plain="\n".join(f"def test_{n}():\n    pass\n" for n in range(20)))
    pytester.makeconftest(RECORDER)
    result = pytester.runpytest_subprocess("-n", "2", "-p", "xdist")
    result.assert_outcomes(passed=reviews * 10 + 20)
    workers = json.loads((pytester.path / "workers.json").read_text())
    by_review: dict[str, set[str]] = {}
    for nodeid, worker in workers.items():
        if ".review.txt::" in nodeid:
            by_review.setdefault(nodeid.split("::")[0], set()).add(worker)
    assert len(by_review) == reviews
    assert all(len(found) == 1 for found in by_review.values()), by_review
    assert len(set(workers.values())) == 2  # the work is still spread
