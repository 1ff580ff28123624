from . import navigation as _navigation


def navigation(request):
    """The menu entries the signed-in user may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    return {"menu": _navigation.items_for(user, request.path)}
