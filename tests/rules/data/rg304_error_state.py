"""A call with the configured keywords counts as exercising a failure, also through a helper."""
# settings: {"rules": {"error-paths-tested": {"error-assertions": ["expected_state='ERROR'", "status=*, code=500"]}}}


def _boot(server, expected_state):
    return server, expected_state


def _wait(server):
    return _boot(server, expected_state="ERROR")


def test_boot():
    assert _boot({}, "ACTIVE")


def test_boot_fails():
    assert _wait({})
