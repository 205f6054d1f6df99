"""UUID literals anywhere in the module, each at its own physical line; docstrings and allowed ids pass."""
# ruff: noqa: E501  (data for the rule tests: the patterns are the point)
# settings: {"rules": {"no-hardcoded-uuids": {"allow": ["00000000-0000-0000-0000-*", "AAAAAAAA-1111-2222-3333-444444444444"]}}}

import uuid

INSTANCE = "4b2c6a3e-9f1d-4c1e-8a7b-2d5e6f708192"  # RG302
NIL = "00000000-0000-0000-0000-000000000000"
NIL_PREFIXED = "00000000-0000-0000-0000-000000000001"
ALLOWED = "aaaaaaaa-1111-2222-3333-444444444444"
NOT_A_UUID = "4b2c6a3e9f1d4c1e8a7b2d5e6f708192"
TOO_LONG = "4b2c6a3e-9f1d-4c1e-8a7b-2d5e6f7081920"


class TestServers:
    """Docstrings that mention 4b2c6a3e-9f1d-4c1e-8a7b-2d5e6f708192 document, they do not hard-code."""

    HOST = "7d1c0f2a-3b4e-4c5d-9e6f-0a1b2c3d4e5f"  # RG302

    def test_create(self):
        """Also 7d1c0f2a-3b4e-4c5d-9e6f-0a1b2c3d4e5f here."""
        server = {"id": "E1B2C3D4-A5B6-4C7D-8E9F-0A1B2C3D4E5F"}  # RG302
        assert server["id"] != str(uuid.uuid4())

    def test_multi_line(self):
        body = """
        {
            "server": "11111111-2222-4333-8444-555555555555",  # RG302
            "image": "22222222-3333-4444-8555-666666666666"  # RG302
        }
        """
        assert body

    def test_joined(self):
        ids = (
            "33333333-4444-4555-8666-777777777777 "  # RG302
            "and "
            "44444444-5555-4666-8777-888888888888"  # RG302
        )
        assert ids

    def test_fstring(self, name):
        text = f"{name}: 55555555-6666-4777-8888-999999999999"  # RG302
        assert text

    def test_two_on_one_line(self):
        pair = ("66666666-7777-4888-8999-aaaaaaaaaaaa", "77777777-8888-4999-8aaa-bbbbbbbbbbbb")  # RG302
        assert pair
