"""The client address behind trusted reverse proxies (TINHGON_TRUSTED_PROXIES)."""

import pytest
from django.test import RequestFactory

from tinhgon.core.net import client_ip

rf = RequestFactory()


def _request(remote, xff=None):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return rf.get("/", **extra)


@pytest.mark.parametrize(("proxies", "remote", "xff", "expected"), [
    # no trusted proxy: the peer is the client, whatever X-Forwarded-For says
    ([], "203.0.113.7", None, "203.0.113.7"),
    ([], "203.0.113.7", "198.51.100.1", "203.0.113.7"),
    # a peer that is not a trusted proxy cannot choose its address
    (["10.0.0.1"], "203.0.113.7", "198.51.100.1", "203.0.113.7"),
    # behind the trusted proxy: the right-most entry that is not a trusted proxy
    (["10.0.0.1"], "10.0.0.1", "198.51.100.1", "198.51.100.1"),
    (["10.0.0.1"], "10.0.0.1", "1.2.3.4, 198.51.100.1", "198.51.100.1"),  # 1.2.3.4 was typed by the client
    (["10.0.0.0/8"], "10.0.0.1", "1.2.3.4, 198.51.100.1, 10.2.3.4", "198.51.100.1"),  # two proxies
    (["10.0.0.0/8", "2001:db8::/32"], "2001:db8::1", "2001:db8:ffff::9", "2001:db8::1"),  # only proxies
    (["10.0.0.1"], "10.0.0.1", None, "10.0.0.1"),
    (["10.0.0.1"], "10.0.0.1", "", "10.0.0.1"),
    (["10.0.0.1"], "10.0.0.1", "not-an-address", "10.0.0.1"),
    (["10.0.0.1"], "10.0.0.1", "198.51.100.1:51234", "198.51.100.1"),
    (["10.0.0.1"], "10.0.0.1", "[2001:db8::5]:443", "2001:db8::5"),
])
def test_client_ip(settings, proxies, remote, xff, expected):
    settings.TINHGON_TRUSTED_PROXIES = proxies
    assert client_ip(_request(remote, xff)) == expected


def test_no_request_no_address():
    assert client_ip(None) is None


def test_bad_setting_is_reported(settings):
    from tinhgon.core.net import trusted_networks

    with pytest.raises(ValueError, match="TINHGON_TRUSTED_PROXIES"):
        trusted_networks(["10.0.0.300"])
