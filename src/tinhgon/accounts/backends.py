from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from tinhgon.core.net import client_ip

from . import services


class ThrottledModelBackend(ModelBackend):
    """Model authentication that refuses further attempts after repeated failures."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        ip = client_ip(request)
        if username and services.login_is_locked(username=username, ip=ip):
            if request is not None:
                request.login_locked = True
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if username:
            if user is None:
                services.login_failure_record(username=username, ip=ip)
            else:
                services.login_failures_clear(username=username)
        return user
