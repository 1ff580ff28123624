"""The Django admin, reserved to superusers (reference data and rule sets)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class SuperuserAdminSite(admin.AdminSite):
    site_header = "tinhgon"
    site_title = "tinhgon"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser


class TinhgonAdminConfig(AdminConfig):
    default_site = "tinhgon.core.admin_site.SuperuserAdminSite"
