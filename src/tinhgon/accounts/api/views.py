"""REST API of accounts: who am I, API tokens, user administration."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from tinhgon.core.authentication import PasswordChangeRequired
from tinhgon.core.scoping import restrict
from tinhgon.core.throttling import ScopedRateThrottle

from .. import services
from ..filtersets import UserFilterSet
from ..models import User
from . import schema  # noqa: F401  (registers the session auth scheme)
from .serializers import (
    MeSerializer,
    PasswordSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    UserCreatedSerializer,
    UserSerializer,
    UserWriteSerializer,
)

ADMINISTER = "administer"


class MeView(APIView):
    @extend_schema(responses=MeSerializer, summary="The signed-in user: role, allowed actions, scopes")
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class ObtainTokenView(APIView):
    """Exchange a user name and password for an API token (sign-in throttling applies)."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(
        request=TokenRequestSerializer, auth=[],
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="Wrong user name or password."),
            403: OpenApiResponse(description="The password is a temporary one (reset by an administrator): "
                                             "change it on the web pages first."),
            429: OpenApiResponse(description="Too many failed attempts: wait and try again."),
        },
        summary="Obtain an API token",
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        django_request = request._request
        user = authenticate(django_request, username=data.validated_data["username"],
                            password=data.validated_data["password"])
        if getattr(django_request, "login_locked", False):
            return Response(
                {"detail": _("Too many failed sign-in attempts. Please wait and try again.")},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        if user is None:
            raise ValidationError({"detail": _("Wrong user name or password, or the account is deactivated.")})
        if user.must_change_password:
            raise PasswordChangeRequired()
        return Response({"token": services.api_token_for(user=user)})


class IsAdministrator(permissions.BasePermission):
    """Lists and creation need an administrator; single users are simply not found by others."""

    def has_permission(self, request, view):
        if getattr(view, "detail", False):
            return True  # the restricted queryset answers 404 to anyone else
        return bool(request.user and request.user.is_authenticated and request.user.is_unrestricted)


@extend_schema_view(
    list=extend_schema(summary="Users (administrators)"),
    retrieve=extend_schema(summary="One user (administrators)"),
    create=extend_schema(request=UserWriteSerializer, responses={201: UserCreatedSerializer},
                         summary="Create a user; the answer carries the generated password once"),
    update=extend_schema(request=UserWriteSerializer, responses=UserSerializer, summary="Change a user"),
    partial_update=extend_schema(request=UserWriteSerializer, responses=UserSerializer,
                                 summary="Change some fields of a user"),
)
class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                  mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = UserSerializer
    permission_classes = [permissions.IsAuthenticated, IsAdministrator]
    filterset_class = UserFilterSet
    queryset = User.objects.all()

    def get_queryset(self):
        qs = super().get_queryset().prefetch_related("scopes__unit__level").order_by("username")
        return restrict(qs, self.request.user, ADMINISTER)

    def _input(self, partial: bool = False) -> dict:
        s = UserWriteSerializer(data=self.request.data, partial=partial)
        s.is_valid(raise_exception=True)
        return s.validated_data

    def create(self, request, *args, **kwargs):
        d = self._input()
        if not d.get("username"):
            raise ValidationError({"username": [_("This field is required.")]})
        units = services.scope_units_for_codes(codes=d.get("scope_codes", []))
        user, password = services.user_create(
            username=d["username"].strip(), role=d["role"], full_name=d.get("full_name", ""),
            email=d.get("email", ""), position_title=d.get("position_title", ""), scope_units=units,
        )
        if d.get("is_active") is False:
            services.user_deactivate(user=user)
        body = UserSerializer(user).data | {"password": password}
        return Response(body, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        user = self.get_object()
        d = self._input(partial=partial)  # a PATCH leaves out what it does not name
        if d.get("username", user.username) != user.username:
            raise ValidationError({"username": [_("The user name cannot be changed.")]})
        if "scope_codes" in d:
            units = services.scope_units_for_codes(codes=d["scope_codes"])
        else:
            units = [s.unit for s in user.scopes.select_related("unit")]
        services.user_update(
            user=user, role=d.get("role", user.role), full_name=d.get("full_name", user.full_name),
            email=d.get("email", user.email), position_title=d.get("position_title", user.position_title),
            is_active=d.get("is_active"), scope_units=units, by=request.user,
        )
        return Response(UserSerializer(self.get_queryset().get(pk=user.pk)).data)

    @extend_schema(request=None, responses=PasswordSerializer, summary="Reset a user's password; the new one is shown once")
    @action(detail=True, methods=["post"], url_path="reset-password")
    def reset_password(self, request, pk=None):
        user = self.get_object()
        return Response({"password": services.user_reset_password(user=user)})
