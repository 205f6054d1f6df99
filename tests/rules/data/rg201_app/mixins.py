"""A mixin of test helpers that another module combines with its own mixins."""


class ApiTestsMixin:
    def api_root(self):
        return "/v2"
