"""A comparison helper whose name does not say it asserts."""


def compare(test, result, expected):
    for key, value in expected.items():
        test.assertEqual(value, result[key])


def build(expected):
    return dict(expected)
