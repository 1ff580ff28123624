from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import User, UserScope
from ..roles import ROLE_CHOICES, allowed_actions


class ScopeSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="unit.code", read_only=True)
    name = serializers.CharField(source="unit.name", read_only=True)
    path = serializers.CharField(source="unit.path", read_only=True)
    level = serializers.CharField(source="unit.level.code", read_only=True)
    valid_from = serializers.DateField(source="unit.valid_from", read_only=True)
    valid_to = serializers.DateField(source="unit.valid_to", read_only=True, allow_null=True)

    class Meta:
        model = UserScope
        fields = ["code", "name", "path", "level", "valid_from", "valid_to"]


class UserSerializer(serializers.ModelSerializer):
    scopes = ScopeSerializer(many=True, read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = User
        fields = [
            "id", "username", "full_name", "email", "position_title", "role", "role_display",
            "is_active", "must_change_password", "scopes", "last_login", "date_joined",
        ]
        read_only_fields = fields


class MeSerializer(UserSerializer):
    actions = serializers.SerializerMethodField(help_text=_("Actions this user may take inside their scopes."))
    is_unrestricted = serializers.BooleanField(read_only=True)

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "actions", "is_unrestricted"]
        read_only_fields = fields

    def get_actions(self, obj) -> list[str]:
        return allowed_actions(obj)


class UserWriteSerializer(serializers.Serializer):
    """Input of create and update: scopes are unit codes (the versions valid today are used)."""

    username = serializers.CharField(max_length=150, required=False)
    full_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    position_title = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    role = serializers.ChoiceField(choices=ROLE_CHOICES)
    is_active = serializers.BooleanField(required=False)
    scope_codes = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, default=list,
        help_text=_("Codes of the units the user may reach (each with everything below it)."),
    )


class UserCreatedSerializer(UserSerializer):
    password = serializers.CharField(
        read_only=True, help_text=_("The generated password. Shown only in this answer; it is not stored in clear."),
    )

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "password"]
        read_only_fields = fields


class PasswordSerializer(serializers.Serializer):
    password = serializers.CharField(read_only=True, help_text=_("The new generated password, shown once."))


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False, write_only=True)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
