"""Sign-in throttling by client address behind a reverse proxy (TINHGON_TRUSTED_PROXIES)."""

from django.urls import reverse

from tinhgon.accounts.models import LoginFailure

PROXY = "10.0.0.1"


def _fail(client, username, **extra):
    return client.post(reverse("accounts:login"), {"username": username, "password": "wrong"}, **extra)


def test_spoofed_forwarded_for_from_an_untrusted_peer_is_ignored(client, db, settings):
    settings.TINHGON_TRUSTED_PROXIES = [PROXY]
    _fail(client, "nobody", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert list(LoginFailure.objects.values_list("ip_address", flat=True)) == ["203.0.113.7"]


def test_two_clients_behind_a_trusted_proxy_are_throttled_separately(client, hanoi_viewer, settings):
    settings.TINHGON_TRUSTED_PROXIES = [PROXY]
    limit = settings.TINHGON_LOGIN_MAX_FAILURES * 4
    for i in range(limit):  # one client tries many user names from behind the proxy
        _fail(client, f"guess-{i}", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert LoginFailure.objects.filter(ip_address="198.51.100.1").count() == limit
    # that client is locked out ...
    r = client.post(reverse("accounts:login"), {"username": "hn-viewer", "password": "Pw-for-tests-123"},
                    REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert r.status_code == 200 and "_auth_user_id" not in client.session
    # ... another one behind the same proxy is not
    r = client.post(reverse("accounts:login"), {"username": "hn-viewer", "password": "Pw-for-tests-123"},
                    REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert r.status_code == 302


def test_token_endpoint_rate_counts_per_client_behind_the_proxy(api_client, hanoi_viewer, settings):
    """DRF's own rate limit of the token endpoint uses the same address (not a spoofable header)."""
    settings.TINHGON_TRUSTED_PROXIES = [PROXY]
    settings.TINHGON_LOGIN_MAX_FAILURES = 1000  # only DRF's 10/min applies here
    url = "/api/auth/token/"
    for i in range(10):
        api_client.post(url, {"username": f"u{i}", "password": "x"}, format="json",
                        REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert api_client.post(url, {"username": "u", "password": "x"}, format="json",
                           REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    # another client behind the proxy still gets through
    assert api_client.post(url, {"username": "hn-viewer", "password": "Pw-for-tests-123"}, format="json",
                           REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200


def test_token_endpoint_rate_ignores_a_spoofed_header(api_client, db, settings):
    """Without a trusted proxy, changing X-Forwarded-For does not give a fresh allowance."""
    settings.TINHGON_TRUSTED_PROXIES = []
    settings.TINHGON_LOGIN_MAX_FAILURES = 1000
    url = "/api/auth/token/"
    statuses = [api_client.post(url, {"username": f"u{i}", "password": "x"}, format="json",
                                REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code
                for i in range(11)]
    assert statuses[-1] == 429
