"""Configuration options of the inventory service, registered on the global ``cfg.CONF``."""

from oslo_config import cfg

CONF = cfg.CONF

service_opts = [
    cfg.StrOpt(
        "region",
        default="north",
        help="Region whose stock this service reserves.",
    ),
    cfg.IntOpt(
        "reservation_ttl",
        default=300,
        min=1,
        help="Seconds a reservation holds stock before it expires.",
    ),
]

backend_group = cfg.OptGroup(
    "backend",
    title="Stock backend",
    help="Where the stock backend lives and how patiently to talk to it.",
)

backend_opts = [
    cfg.URIOpt(
        "endpoint",
        default="http://stock.example.internal:8778",
        schemes=["http", "https"],
        help="Base URL of the stock backend.",
    ),
    cfg.FloatOpt(
        "timeout",
        default=5.0,
        min=0.1,
        help="Seconds to wait for one backend request.",
    ),
    cfg.IntOpt(
        "retries",
        default=2,
        min=0,
        help="How many times a timed-out request is retried.",
    ),
]


def register_opts(conf):
    conf.register_opts(service_opts)
    conf.register_group(backend_group)
    conf.register_opts(backend_opts, group=backend_group)


def list_opts():
    """For oslo-config-generator: every option, by group."""
    return [(None, service_opts), (backend_group, backend_opts)]


register_opts(CONF)
