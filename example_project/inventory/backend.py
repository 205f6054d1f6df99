"""HTTP client of the stock backend."""

import json
import socket
import urllib.error
import urllib.request

from inventory import conf

CONF = conf.CONF


class BackendError(Exception):
    """The backend answered with an error or could not be reached."""


class NotFound(BackendError):
    """The backend does not know the SKU or reservation."""


class Client:
    """Talks JSON to the stock backend; retries requests that time out."""

    def __init__(self, endpoint=None, timeout=None, retries=None):
        self.endpoint = (endpoint or CONF.backend.endpoint).rstrip("/")
        self.timeout = timeout if timeout is not None else CONF.backend.timeout
        self.retries = retries if retries is not None else CONF.backend.retries

    def get_stock(self, region, sku):
        body = self._request("GET", f"/regions/{region}/stock/{sku}")
        return int(body["available"])

    def reserve(self, region, sku, quantity, ttl):
        body = self._request(
            "POST",
            f"/regions/{region}/reservations",
            {"sku": sku, "quantity": quantity, "ttl": ttl},
        )
        return body["id"]

    def release(self, region, reservation_id):
        self._request("DELETE", f"/regions/{region}/reservations/{reservation_id}")

    def _request(self, method, path, payload=None):
        data = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(
            self.endpoint + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        for attempt in range(self.retries + 1):
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    raw = response.read()
            except urllib.error.HTTPError as exc:
                if exc.code == 404:
                    raise NotFound(path) from exc
                raise BackendError(f"{method} {path}: HTTP {exc.code}") from exc
            except (socket.timeout, TimeoutError) as exc:
                if attempt == self.retries:
                    raise BackendError(f"{method} {path}: timed out") from exc
                continue
            return json.loads(raw) if raw else {}
        raise AssertionError("unreachable")
