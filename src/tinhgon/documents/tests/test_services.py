"""Registering, receiving, relating and linking documents; each bad input refused with nothing written."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhgon.core.models import AuditEvent
from tinhgon.documents import selectors, services
from tinhgon.documents.models import Document, DocumentRelation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The services' messages are read here in English (the pages show them in Vietnamese)."""
    from django.utils import translation

    with translation.override("en"):
        yield

D = dt.date(2026, 3, 2)


def reg(world, user=None, code="nghi-quyet", unit=None, day=D, **kw):
    kw.setdefault("title", "Về phát triển kinh tế số")
    return services.document_register(user=user, doc_type=world.types[code], unit=unit or world.tu, issued_on=day,
                                      **kw)


def test_party_numbering_per_term_and_abbreviation(world, hn_clerk):
    p = services.document_propose(doc_type=world.types["nghi-quyet"], unit=world.tu, issued_on=D)
    assert (p.term, p.number, p.symbol) == (world.term, 1, "01-NQ/TU")
    a = reg(world, hn_clerk)
    b = reg(world, hn_clerk)
    assert [a.symbol, b.symbol] == ["01-NQ/TU", "02-NQ/TU"]
    assert a.term == world.term and a.sequence_key.startswith("party|01-TU|t")
    # Quy định shares QĐ with Quyết định: one sequence.
    q1 = reg(world, hn_clerk, "quyet-dinh")
    q2 = reg(world, hn_clerk, "quy-dinh")
    assert [q1.symbol, q2.symbol] == ["01-QĐ/TU", "02-QĐ/TU"]
    # The previous term numbers on its own.
    old = reg(world, hn_clerk, day=dt.date(2024, 5, 6))
    assert old.term == world.old_term and old.symbol == "01-NQ/TU"
    # A commune party committee: ĐU.
    assert reg(world, hn_clerk, unit=world.du).symbol == "01-NQ/ĐU"


def test_state_numbering_per_year(world, hn_clerk):
    a = reg(world, hn_clerk, "nn-quyet-dinh", unit=world.ub, day=dt.date(2025, 12, 30))
    b = reg(world, hn_clerk, "nn-quyet-dinh", unit=world.ub, day=dt.date(2026, 1, 5))
    c = reg(world, hn_clerk, "nn-quyet-dinh-qppl", unit=world.ub, day=dt.date(2026, 1, 6))
    assert [a.symbol, b.symbol, c.symbol] == ["1/QĐ-UBND", "1/QĐ-UBND", "1/2026/QĐ-UBND"]
    assert a.term is None and b.year == 2026


def test_duplicate_refused_without_reason(world, hn_clerk):
    reg(world, hn_clerk)
    n, events = Document.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        reg(world, hn_clerk, number=1)
    assert "taken already" in str(exc.value.message_dict["number"])
    assert (Document.objects.count(), AuditEvent.objects.count()) == (n, events)
    d = reg(world, hn_clerk, number=1, number_reason="Ban hành lại do sai sót kỹ thuật")
    assert d.symbol == "01-NQ/TU" and d.number_reason


def test_gap_refused_without_reason(world, hn_clerk):
    reg(world, hn_clerk)
    with pytest.raises(ValidationError) as exc:
        reg(world, hn_clerk, number=5)
    assert "skips 2, 3, 4" in str(exc.value.message_dict["number"])
    assert Document.objects.count() == 1
    assert reg(world, hn_clerk, number=5, number_reason="Số 02–04 là văn bản mật").number == 5
    # Filling the gap later needs no reason.
    assert reg(world, hn_clerk, number=3).symbol == "03-NQ/TU"


def test_date_outside_the_given_term(world, hn_clerk):
    with pytest.raises(ValidationError) as exc:
        reg(world, hn_clerk, term=world.old_term)
    assert "outside the term" in str(exc.value.message_dict["term"])
    assert not Document.objects.exists()


def test_no_term_recorded(world, hn_clerk):
    with pytest.raises(ValidationError) as exc:
        reg(world, hn_clerk, day=dt.date(2020, 3, 1))
    assert "No term" in str(exc.value.message_dict["issued_on"])
    assert not Document.objects.exists()


def test_type_not_yet_in_use(world, hn_clerk):
    with pytest.raises(ValidationError) as exc:
        reg(world, hn_clerk, "phuong-an", day=dt.date(2026, 1, 8))
    assert "not in use" in str(exc.value.message_dict["doc_type"])
    assert reg(world, hn_clerk, "phuong-an", day=dt.date(2026, 1, 9)).symbol == "01-PA/TU"


def test_type_of_the_wrong_system(world, hn_clerk):
    with pytest.raises(ValidationError):
        reg(world, hn_clerk, "nghi-quyet", unit=world.ub)
    with pytest.raises(ValidationError):
        reg(world, hn_clerk, "nn-quyet-dinh", unit=world.tu)
    assert not Document.objects.exists()


def test_future_date_and_empty_title(world, hn_clerk):
    with pytest.raises(ValidationError) as exc:
        reg(world, hn_clerk, day=dt.date.today() + dt.timedelta(days=3), title=" ")
    assert {"issued_on", "title"} <= set(exc.value.message_dict)
    assert not Document.objects.exists()


def test_scope(world, hcm_clerk, hn_viewer):
    with pytest.raises(PermissionDenied):
        reg(world, hcm_clerk)
    with pytest.raises(PermissionDenied):
        reg(world, hn_viewer)
    assert not Document.objects.exists()


def test_received_documents_take_no_part_in_the_sequence(world, hn_clerk):
    kl = services.document_receive(user=hn_clerk, doc_type=world.types["ket-luan"], unit=world.tu,
                                   symbol="127-KL/TW", issuer_name="Ban Chấp hành Trung ương", issued_on=D,
                                   title="Kết luận về sắp xếp tổ chức bộ máy")
    assert kl.direction == Document.RECEIVED and kl.sequence_key == "" and kl.number == 127
    assert reg(world, hn_clerk, "ket-luan").symbol == "01-KL/TU"   # no gap: 127 is not ours
    with pytest.raises(ValidationError):
        services.document_receive(user=hn_clerk, doc_type=world.types["ket-luan"], unit=world.tu, symbol=" ",
                                  issuer_name="", issued_on=D, title="x")


def test_search_with_or_without_accents(world, hn_clerk):
    da = reg(world, hn_clerk, "de-an", title="Đề án chuyển đổi số")
    nq = reg(world, hn_clerk, title="Nghị quyết về giáo dục")
    qs = selectors.documents_for(hn_clerk)
    assert list(selectors.document_search(qs, "DA/TU")) == [da]
    assert list(selectors.document_search(qs, "01-ĐA/TU")) == [da]
    assert list(selectors.document_search(qs, "01-da/tu")) == [da]
    assert set(selectors.document_search(qs, "/TU")) == set()  # the tail starts with the abbreviation
    assert list(selectors.document_search(qs, "giao duc")) == [nq]
    assert list(selectors.document_search(qs, "NQ")) == [nq]


def test_search_page_reads_ids_first_same_rows_and_order(world, hn_clerk, django_assert_num_queries):
    days = [dt.date(2026, 1, d) for d in (5, 20, 5, 12, 28, 12, 3)]
    made = [reg(world, hn_clerk, "de-an", day=d, title=f"Đề án {i}") for i, d in enumerate(days)]
    reg(world, hn_clerk, title="Nghị quyết khác")
    qs = selectors.document_search(selectors.documents_for(hn_clerk), "DA/TU").order_by("-issued_on", "-id")
    expected = list(qs)
    assert sorted(d.pk for d in expected) == sorted(d.pk for d in made)
    with django_assert_num_queries(2):  # the page's ids, then its rows (type, body, term joined)
        first = selectors.page_of(qs, 1, size=3)
        rows = list(first.object_list)
        assert [r.doc_type.code for r in rows] == ["de-an"] * 3
    assert first.paginator.count == 7 and first.paginator.num_pages == 3
    pages = [rows] + [list(selectors.page_of(qs, n, size=3).object_list) for n in (2, 3)]
    assert [d.pk for p in pages for d in p] == [d.pk for d in expected]
    assert list(selectors.page_of(qs, "last", size=3).object_list) == expected[6:]
    assert list(selectors.page_of(qs, "x", size=3).object_list) == expected[:3]
    assert list(selectors.page_of(qs, 99, size=3).object_list) == expected[6:]


def test_replace_and_amend(world, hn_clerk):
    a = reg(world, hn_clerk, day=dt.date(2026, 1, 5))
    b = reg(world, hn_clerk, replaces=[a])
    a.refresh_from_db()
    assert a.status == Document.REPLACED and a.status_on == D
    c = reg(world, hn_clerk, "quy-dinh")
    services.document_relate(user=hn_clerk, document=c, target=b, kind="amends")
    assert DocumentRelation.objects.count() == 2
    from tinhgon.documents.views import _relations_of

    rel = _relations_of(hn_clerk, b)
    assert [r.source for r in rel["in"]] == [c] and [r.target for r in rel["out"]] == [a]


def test_replacing_itself_or_a_later_document(world, hn_clerk):
    a = reg(world, hn_clerk, day=dt.date(2026, 1, 5))
    b = reg(world, hn_clerk)
    with pytest.raises(ValidationError) as exc:
        services.document_relate(user=hn_clerk, document=a, target=a, kind="replaces")
    assert "itself" in str(exc.value)
    with pytest.raises(ValidationError):
        services.document_relate(user=hn_clerk, document=a, target=b, kind="replaces")
    assert not DocumentRelation.objects.exists()
    b.refresh_from_db()
    assert b.status == Document.IN_FORCE


def test_relating_to_a_document_outside_the_scope(world, hn_clerk):
    hcm = services.document_register(user=None, doc_type=world.types["nghi-quyet"], unit=world.hcm_tu,
                                     issued_on=D, title="NQ HCM")
    a = reg(world, hn_clerk)
    with pytest.raises(PermissionDenied):
        services.document_relate(user=hn_clerk, document=a, target=hcm, kind="amends")
    assert not DocumentRelation.objects.exists()


def test_attachment_type_and_content_checked(world):
    from tinhgon.documents.forms import validate_attachment

    validate_attachment(SimpleUploadedFile("nq.pdf", b"%PDF-1.7 ..."))
    with pytest.raises(ValidationError):
        validate_attachment(SimpleUploadedFile("nq.exe", b"MZ..."))
    with pytest.raises(ValidationError):
        validate_attachment(SimpleUploadedFile("nq.pdf", b"MZ renamed"))


def test_attachment_too_large(world, settings):
    from tinhgon.documents.forms import validate_attachment

    settings.TINHGON_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError):
        validate_attachment(SimpleUploadedFile("nq.pdf", b"%PDF-1.7 " + b"x" * 20))


def test_counts_by_type(world, hn_clerk, hcm_clerk):
    for code in ("nghi-quyet", "nghi-quyet", "ket-luan", "quyet-dinh", "quy-dinh"):
        reg(world, hn_clerk, code)
    services.document_receive(user=hn_clerk, doc_type=world.types["ket-luan"], unit=world.tu, symbol="127-KL/TW",
                              issuer_name="BCHTW", issued_on=D, title="KL")
    rows = {r.name: (r.issued, r.received) for r in selectors.documents_counts(selectors.documents_for(hn_clerk), start=world.term.valid_from)}
    assert rows == {"Nghị quyết": (2, 0), "Kết luận": (1, 1), "Quyết định": (1, 0), "Quy định": (1, 0)}
    assert selectors.documents_counts(selectors.documents_for(hcm_clerk)) == []


def test_delete_refused_when_cited(world, hn_clerk):
    from tinhgon.tasks.services import program_create

    d = reg(world, hn_clerk)
    p = program_create(user=hn_clerk, unit=world.hn, title="Chương trình công tác", year=2026)
    services.document_link(user=hn_clerk, document=d, kind="program", pk=p.pk)
    with pytest.raises(ValidationError):
        services.document_delete(user=hn_clerk, document=d)
    assert Document.objects.filter(pk=d.pk).exists()
    services.document_link(user=hn_clerk, document=None, kind="program", pk=p.pk)
    services.document_delete(user=hn_clerk, document=d)
    assert not Document.objects.exists()


def test_link_checks_both_scopes(world, hn_clerk, hcm_clerk):
    from tinhgon.tasks.services import program_create

    d = reg(world, hn_clerk)
    hcm_program = program_create(user=None, unit=world.hcm, title="CT HCM", year=2026)
    with pytest.raises(ValidationError):  # the program is outside the Hà Nội clerk's scope
        services.document_link(user=hn_clerk, document=d, kind="program", pk=hcm_program.pk)
    with pytest.raises(PermissionDenied):  # the document is outside the HCM clerk's scope
        services.document_link(user=hcm_clerk, document=d, kind="program", pk=hcm_program.pk)
    hcm_program.refresh_from_db()
    assert hcm_program.document_id is None


def test_a_task_cites_its_document(world, hn_clerk, hcm_clerk):
    """A task links to the registered document it carries out (beside its program's), both scopes checked;
    a cited document cannot be deleted; a task outside the user's scope is refused and keeps nothing."""
    from tinhgon.tasks.models import Task
    from tinhgon.tasks.services import program_create, task_create

    d = reg(world, hn_clerk)
    program = program_create(user=hn_clerk, unit=world.hn, title="Chương trình công tác", year=2026)
    task = task_create(user=hn_clerk, program=program, title="Xây dựng đề án sắp xếp", deadline=dt.date(2026, 6, 30))
    services.document_link(user=hn_clerk, document=d, kind="task", pk=task.pk)
    assert Task.objects.get(pk=task.pk).document_id == d.pk
    assert list(d.tasks.all()) == [task]
    with pytest.raises(ValidationError):
        services.document_delete(user=hn_clerk, document=d)
    hcm_program = program_create(user=None, unit=world.hcm, title="CT HCM", year=2026)
    hcm_task = task_create(user=None, program=hcm_program, title="Nhiệm vụ HCM", deadline=dt.date(2026, 6, 30))
    with pytest.raises(ValidationError):  # the task is outside the Hà Nội clerk's scope
        services.document_link(user=hn_clerk, document=d, kind="task", pk=hcm_task.pk)
    with pytest.raises(PermissionDenied):  # the document is outside the HCM clerk's scope
        services.document_link(user=hcm_clerk, document=d, kind="task", pk=hcm_task.pk)
    assert Task.objects.get(pk=hcm_task.pk).document_id is None
    services.document_link(user=hn_clerk, document=None, kind="task", pk=task.pk)
    assert Task.objects.get(pk=task.pk).document_id is None


def test_type_configuration_checked(world, admin_user):
    from tinhgon.documents.models import DocumentType

    t = DocumentType(code="phieu-trinh", system="party", name="Phiếu trình", abbreviation="PTr",
                     symbol_pattern="{abbr}/{issuer}")
    with pytest.raises(ValidationError):
        services.document_type_save(user=admin_user, instance=t)
    t.symbol_pattern = "{nn}-{abbr}/{issuer}"
    services.document_type_save(user=admin_user, instance=t)
    assert DocumentType.objects.filter(code="phieu-trinh").exists()
