"""Every write path of every model lands in the change log."""

import datetime as dt

import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from tinhgon.core.changelog import TrackedModel, TrackedQuerySet, acting_as
from tinhgon.core.models import ObjectChange

# Models deliberately outside the change log, with the reason.
EXEMPT = {
    "core.ObjectChange": "the change log itself",
    "accounts.LoginFailure": "append-only security log of failed sign-ins",
    "cadres.PersonalDataAccess": "append-only log of who viewed unmasked personal data",
    "core.JobStage": "scratch rows of a running job, removed when it ends; what they become is logged",
}


def project_models():
    for config in apps.get_app_configs():
        if config.name.startswith("tinhgon."):
            yield from config.get_models()


def test_every_project_model_is_tracked():
    untracked = []
    for model in project_models():
        label = model._meta.label
        if label in EXEMPT:
            continue
        if not issubclass(model, TrackedModel):
            untracked.append(f"{label}: not a TrackedModel")
        for manager in model._meta.managers:
            qs_class = getattr(manager, "_queryset_class", None)
            if qs_class is not None and not issubclass(qs_class, TrackedQuerySet):
                untracked.append(f"{label}.{manager.name}: queryset {qs_class.__name__} is not tracked")
    assert not untracked, "Models whose writes escape the change log:\n" + "\n".join(untracked)


def test_no_untracked_many_to_many_in_project_models():
    """Auto-created many-to-many tables are logged through m2m_changed, only from tracked models."""
    for model in project_models():
        for field in model._meta.local_many_to_many:
            assert issubclass(model, TrackedModel), f"{model._meta.label}.{field.name}"


def _changes(model, action=None):
    from django.contrib.contenttypes.models import ContentType

    qs = ObjectChange.objects.filter(content_type=ContentType.objects.get_for_model(model))
    return qs.filter(action=action) if action else qs


@pytest.mark.django_db
def test_save_create_update_and_delete_are_logged_with_actor(admin_user):
    from tinhgon.apparatus.models import Level

    with acting_as(admin_user, source="test"):
        level = Level.objects.create(code="ward-cluster", name="Cụm", rank=5)
        level.name = "Cụm phường"
        level.save()
        level.save()  # no change: no row
        level.delete()
    create, update, delete = (_changes(Level, a).filter(object_id=level.pk or None) for a in ("create", "update", "delete"))
    rows = list(_changes(Level).filter(object_repr__startswith="Cụm").order_by("id"))
    assert [r.action for r in rows] == ["create", "update", "delete"]
    assert rows[0].after["name"] == "Cụm" and rows[0].before is None
    assert rows[1].before["name"] == "Cụm" and rows[1].after["name"] == "Cụm phường"
    assert rows[2].before["code"] == "ward-cluster" and rows[2].after is None
    assert {r.user_name for r in rows} == {admin_user.username}
    assert {r.source for r in rows} == {"test"}
    assert create is not None and update is not None and delete is not None


@pytest.mark.django_db
def test_bulk_paths_are_logged():
    from tinhgon.apparatus.models import Level

    objs = Level.objects.bulk_create([Level(code=f"x{i}", name=f"X{i}", rank=10 + i) for i in range(3)])
    assert _changes(Level, "create").filter(object_id__in=[o.pk for o in objs]).count() == 3
    for o in objs:
        o.name = o.name + "!"
    Level.objects.bulk_update(objs, ["name"])
    updates = _changes(Level, "update").filter(object_id__in=[o.pk for o in objs])
    assert updates.count() == 3 and all(u.after["name"].endswith("!") for u in updates)
    Level.objects.filter(code__startswith="x").update(rank=99)
    assert _changes(Level, "update").filter(object_id__in=[o.pk for o in objs], after__rank=99).count() == 3
    Level.objects.filter(code__startswith="x").delete()
    assert _changes(Level, "delete").filter(object_id__in=[o.pk for o in objs]).count() == 3


@pytest.mark.django_db
def test_cascade_deletes_are_logged(tree):
    from tinhgon.accounts.models import User, UserScope
    from tinhgon.accounts.tests.factories import make_user

    user = make_user("carol", scopes=[tree["01"]])
    scope_id = user.scopes.get().pk
    User.objects.filter(pk=user.pk).delete()
    assert _changes(UserScope, "delete").filter(object_id=scope_id).exists()


@pytest.mark.django_db
def test_many_to_many_changes_are_logged(admin_user):
    from tinhgon.accounts.models import User

    group = Group.objects.create(name="reviewers")
    admin_user.groups.add(group)
    row = _changes(User, "update").filter(object_id=admin_user.pk).latest("id")
    assert row.after["m2m"] == {"field": "groups", "action": "add", "pks": [group.pk]}


@pytest.mark.django_db
def test_dated_valid_to_must_follow_valid_from(tree):
    from django.core.exceptions import ValidationError

    unit = tree["00001"]
    unit.valid_to = unit.valid_from
    with pytest.raises(ValidationError):
        unit.full_clean()
    unit.valid_to = unit.valid_from + dt.timedelta(days=1)
    unit.full_clean()


@pytest.mark.django_db
def test_password_hashes_never_reach_the_log():
    from tinhgon.accounts.models import User
    from tinhgon.accounts.tests.factories import make_user

    user = make_user("dora")
    user.set_password("Another-pass-456")
    user.save()
    rows = list(_changes(User).filter(object_id=user.pk).order_by("id"))
    assert rows and all(user.password not in str(r.before) + str(r.after) for r in rows)
    update = rows[-1]
    assert update.before["password"].startswith("sha256:") and update.before["password"] != update.after["password"]


@pytest.mark.django_db
def test_redacted_fields_keep_a_keyed_fingerprint_not_the_value(monkeypatch):
    """``changelog_redacted`` fields (a protected identity) never reach the log as written,
    on single and bulk writes alike; a change still shows as a different fingerprint."""
    from tinhgon.core.changelog import redacted
    from tinhgon.core.models import RuleSet

    monkeypatch.setattr(RuleSet, "changelog_redacted", ("name", "legal_basis"), raising=False)
    with acting_as(None):
        rs = RuleSet.objects.create(kind="t.kind", code="t-1", name="Nguyễn Văn Tố", legal_basis="Bí mật",
                                    valid_from=dt.date(2026, 1, 1), parameters={})
        rs.name = "Trần Thị Giấu"
        rs.save()
        RuleSet.objects.filter(pk=rs.pk).update(name="Lê Văn Kín")
    rows = ObjectChange.objects.filter(content_type__model="ruleset", object_id=rs.pk).order_by("id")
    text = " ".join(f"{r.before} {r.after}" for r in rows)
    for secret in ("Nguyễn Văn Tố", "Trần Thị Giấu", "Lê Văn Kín", "Bí mật"):
        assert secret not in text
    assert rows.count() == 3
    assert rows[0].after["name"] == redacted("Nguyễn Văn Tố") != redacted("Trần Thị Giấu") == rows[1].after["name"]
    assert rows[0].after["code"] == "t-1"  # other fields as usual
