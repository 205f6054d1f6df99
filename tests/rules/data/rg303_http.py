"""Request helpers told the HTTP status to expect check the response; so does a project subclass
of ExpectedException. A fake built with a status, or a state named status, checks nothing."""

import unittest
from http import HTTPStatus
from unittest import mock

import webob.exc
import webtest
from rg303_app import webtesting


class TestApi(unittest.TestCase):
    def setUp(self):
        self.app = webtest.TestApp(object())

    def _update(self, path, body, expected_code=200):
        return self.app.put_json(path, body, expect_errors=True)

    def test_bad_request(self):
        self.app.post("/orders", {"qty": "x"}, status=400)

    def test_conflict_through_a_helper(self):
        self._update("/orders/1", {}, expected_code=webob.exc.HTTPConflict.code)

    def test_gone(self):
        self.app.delete("/orders/1", status=HTTPStatus.GONE)

    def test_project_expected_exception(self):
        with webtesting.ExpectedError(KeyError):
            {}["missing"]

    def test_fake_response(self):  # RG303
        response = mock.Mock(status=404)
        self.app.get("/orders", expect_errors=response.status)

    def test_state(self):  # RG303
        self._update("/orders/1", {"status": "ACTIVE"}, expected_code=None)

    def test_recorder(self):  # RG303
        with webtesting.Recorder(KeyError):
            {}["missing"]
