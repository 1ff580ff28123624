"""OpenAPI description of the project's session authentication (drf-spectacular).

``tinhgon.core.authentication.SessionAuthentication`` subclasses DRF's class; the
stock ``SessionScheme`` does not match subclasses, so without this every endpoint
would warn.  (Token authentication is matched by the stock ``TokenScheme``.)
"""

from drf_spectacular.authentication import SessionScheme


class TinhgonSessionScheme(SessionScheme):
    target_class = "tinhgon.core.authentication.SessionAuthentication"
