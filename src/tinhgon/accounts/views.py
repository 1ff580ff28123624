"""Sign-in, "my account" and the administration of users (administrators only)."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tinhgon.core.exports import workbook_bytes, xlsx_response
from tinhgon.core.models import ObjectChange
from tinhgon.core.scoping import restrict

from . import services
from .filtersets import UserFilterSet
from .forms import LoginForm, OwnPasswordChangeForm, UserForm
from .models import User, UserScope
from .roles import allowed_action_labels

ADMINISTER = "administer"
PICKER_LIMIT = 15


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_success_url(self):
        if getattr(self.request.user, "must_change_password", False):
            messages.warning(self.request, _("Please choose a new password before you go on."))
            return reverse("accounts:password_change")
        return super().get_success_url()


class LogoutView(auth_views.LogoutView):
    pass


def admin_required(view):
    """Signed in and an administrator; anyone else gets 403."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_unrestricted:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _users(request):
    """Every user page reads users through the one scoping function (administrators reach all)."""
    return restrict(User.objects.all(), request.user, ADMINISTER)


def _user_or_404(request, pk: int) -> User:
    # Non-administrators get an empty queryset, hence 404: the account does not exist for them.
    return get_object_or_404(_users(request), pk=pk)


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _scopes_text(user: User) -> str:
    return "; ".join(f"{s.unit.code} {s.unit.name}" for s in user.scopes.all())


# Users: list and export -------------------------------------------------------------


@admin_required
def user_list(request):
    qs = _users(request).prefetch_related("scopes__unit").order_by("username")
    filterset = UserFilterSet(request.GET or None, queryset=qs)
    users = filterset.qs
    if request.GET.get("export") == "xlsx":
        headers = [_("User name"), _("Full name"), _("Email"), _("Position"), _("Role"), _("Active"),
                   _("Scopes"), _("Last sign-in"), pgettext("account", "Created")]
        rows = (
            [u.username, u.full_name, u.email, u.position_title, u.get_role_display(),
             _("Yes") if u.is_active else _("No"), _scopes_text(u), u.last_login, u.date_joined]
            for u in users
        )
        content = workbook_bytes(_("Users"), headers, rows, widths=[18, 28, 28, 28, 16, 8, 50, 18, 18],
                                 info=[(_("Filter"), request.GET.urlencode())])
        return xlsx_response("users.xlsx", content)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "accounts/user_list.html", {
        "filter": filterset, "page": page, "query": params.urlencode(),
        "total": page.paginator.count,
    })


# Users: create, edit, detail ----------------------------------------------------------


@admin_required
@never_cache
def user_create(request):
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            user, password = services.user_create(
                username=d["username"].strip(), role=d["role"], full_name=d["full_name"].strip(),
                email=d["email"], position_title=d["position_title"].strip(), scope_units=form.scope_units,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return render(request, "accounts/user_password.html", {
                "account": user, "password": password, "created": True,
            })
    return render(request, "accounts/user_form.html", {"form": form, "account": None})


@login_required  # others get 404 from the restricted queryset
def user_edit(request, pk: int):
    account = _user_or_404(request, pk)
    form = UserForm(request.POST or None, user=account)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.user_update(
                user=account, role=d["role"], full_name=d["full_name"].strip(), email=d["email"],
                position_title=d["position_title"].strip(), scope_units=form.scope_units, by=request.user,
            )
        except ValidationError as exc:
            account.refresh_from_db()
            _form_errors(form, exc)
        else:
            messages.success(request, _("The changes to %(name)s were saved.") % {"name": account.username})
            return redirect("accounts:user", pk=account.pk)
    return render(request, "accounts/user_form.html", {"form": form, "account": account})


@login_required  # others get 404 from the restricted queryset
def user_detail(request, pk: int):
    account = _user_or_404(request, pk)
    user_ct = ContentType.objects.get_for_model(User)
    scope_ct = ContentType.objects.get_for_model(UserScope)
    changes_to = (
        ObjectChange.objects.filter(
            Q(content_type=user_ct, object_id=account.pk)
            | Q(content_type=scope_ct, after__user_id=account.pk)
            | Q(content_type=scope_ct, before__user_id=account.pk)
        ).select_related("content_type")[:15]
    )
    changes_by = ObjectChange.objects.filter(user_id=account.pk).select_related("content_type")[:20]
    return render(request, "accounts/user_detail.html", {
        "account": account,
        "scopes": account.scopes.select_related("unit", "unit__level").order_by("unit__path"),
        "actions": allowed_action_labels(account),
        "has_token": services.api_token_of(account) is not None,
        "changes_to": changes_to, "changes_by": changes_by,
    })


@login_required  # others get 404 from the restricted queryset
@never_cache
def user_reset_password(request, pk: int):
    account = _user_or_404(request, pk)
    if request.method == "POST":
        password = services.user_reset_password(user=account)
        return render(request, "accounts/user_password.html", {
            "account": account, "password": password, "created": False,
        })
    return render(request, "accounts/user_reset_confirm.html", {"account": account})


@login_required  # others get 404 from the restricted queryset
@require_POST
def user_deactivate(request, pk: int):
    account = _user_or_404(request, pk)
    try:
        services.user_deactivate(user=account, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s can no longer sign in.") % {"name": account.username})
    return redirect("accounts:user", pk=account.pk)


@login_required  # others get 404 from the restricted queryset
@require_POST
def user_reactivate(request, pk: int):
    account = _user_or_404(request, pk)
    services.user_reactivate(user=account)
    messages.success(request, _("%(name)s can sign in again.") % {"name": account.username})
    return redirect("accounts:user", pk=account.pk)


# The unit picker (HTMX) -------------------------------------------------------------


@admin_required
def unit_picker(request):
    """Units valid today whose code or name matches ``q`` (accents optional)."""
    from django.utils import timezone

    from tinhgon.apparatus.selectors import unit_search

    q = request.GET.get("q", "").strip()
    units = []
    if q:
        by_code = unit_search(date=timezone.localdate()).filter(code=q)
        by_name = unit_search(date=timezone.localdate(), q=q).order_by("depth", "path")
        units = list(by_code) + [u for u in by_name[:PICKER_LIMIT] if u.code != q]
    return render(request, "accounts/partials/unit_results.html", {"units": units[:PICKER_LIMIT], "q": q})


@admin_required
def unit_chip(request):
    units, _unknown = services.scope_units_lookup(codes=[request.GET.get("code", "")])
    return render(request, "accounts/partials/scope_chip.html", {"unit": units[0] if units else None})


# My account -------------------------------------------------------------------------


@login_required
@never_cache
def me(request):
    user = request.user
    return render(request, "accounts/me.html", {
        "scopes": user.scopes.select_related("unit", "unit__level").order_by("unit__path"),
        "actions": allowed_action_labels(user),
        "token": services.api_token_of(user),
    })


@login_required
@require_POST
def me_token(request):
    if request.POST.get("regenerate"):
        services.api_token_regenerate(user=request.user)
        messages.success(request, _("A new API token was created; the old one no longer works."))
    else:
        services.api_token_for(user=request.user)
        messages.success(request, _("Your API token was created."))
    return redirect("accounts:me")


@login_required
@never_cache
def password_change(request):
    form = OwnPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = form.save()
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password was changed."))
            return redirect("accounts:me")
    return render(request, "accounts/password_change.html", {"form": form})
