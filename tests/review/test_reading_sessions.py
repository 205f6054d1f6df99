"""Whole reviews in the shapes LLMs write, read in a real session: the items they make say the
parser read each finding, its lines and its directives as the reviewer meant."""

from __future__ import annotations

import pytest

MODULE = """\
import os
import tempfile
from unittest import mock


class TestConf:
    def setup_method(self):
        patcher = mock.patch("os.getcwd")
        self.getcwd = patcher.start()

    def test_file(self):
        path = tempfile.mkdtemp()
        assert os.path.isdir(path)

    def test_name(self):
        assert tempfile.gettempprefix()
"""

CWE_LIST = """\
Review by CWE category:

- CWE-798 (Use of Hard-coded Credentials): Not applicable; the module holds no secrets.
- CWE-459 (Incomplete Cleanup): `TestConf.test_file` (lines 11-13) creates a temporary directory
  that nothing removes.
  expect: cleanup-registered
  status: open
- CWE-404 (Improper Resource Shutdown or Release): `TestConf.setup_method` (line 7 and 9)
  starts a patcher and never stops it.
  expect: mocks-undone
  status: open

Overall: two cleanup defects.
"""


def test_a_cwe_list_with_bom_and_crlf_makes_one_finding_per_item(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_conf=MODULE)
    data = b"\xef\xbb\xbf" + CWE_LIST.replace("\n", "\r\n").encode()
    (pytester.path / "test_conf.review.txt").write_bytes(data)
    result = pytester.runpytest("--reviewgate-only", "-v", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines_random([
        "*::finding-cwe-459-incomplete-cleanup::anchors PASSED*",
        "*::finding-cwe-459-incomplete-cleanup::cleanup-registered XFAIL*",
        "*::finding-cwe-404-improper-resource-shutdown-or-release::anchors PASSED*",
        "*::finding-cwe-404-improper-resource-shutdown-or-release::mocks-undone XFAIL*",
    ])
    result.stdout.no_fnmatch_line("*cwe-798*")  # a clean item citing no code makes no item
    result.assert_outcomes(passed=4, xfailed=2)


def test_a_table_with_a_line_column_anchors_each_row(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_conf=MODULE)
    pytester.makefile(".review.txt", test_conf="""\
        | # | CWE | Line | Finding |
        |---|-----|------|---------|
        | 1 | CWE-459 | 11-13 | `test_file` never removes the file it creates. |
        | 2 | CWE-404 | 40 | `setup_method` never stops its patcher. |
        """.replace("        |", "|"))
    result = pytester.runpytest("--reviewgate-only", "-v", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines_random([
        "*::finding-1::anchors PASSED*",
        "*::finding-2::anchors FAILED*",
        "*`setup_method` is at lines 7-9, the review says 40*",
    ])
    result.assert_outcomes(passed=3, failed=1)
