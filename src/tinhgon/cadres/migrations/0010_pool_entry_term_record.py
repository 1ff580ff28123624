"""Planning-pool terms become Term records of the pool's unit (the free text migrates).

Each distinct (unit, text) gets a Term of that unit's body: "2026-2031" runs from
1 January 2026 to 1 January 2031 by default; a text that is not a year range keeps its
label and runs from the earliest entry's date.  Reversible: the label goes back to text.
"""

import datetime as dt
import re

import django.db.models.deletion
from django.db import migrations, models

_TERM = re.compile(r"^\s*(\d{4})\s*[-–—/]\s*(\d{4})\s*$")


def forwards(apps, schema_editor):
    PoolEntry = apps.get_model("cadres", "PoolEntry")
    Term = apps.get_model("apparatus", "Term")
    Unit = apps.get_model("apparatus", "Unit")
    pairs = {}
    for unit_id, text, added in PoolEntry.objects.values_list("unit_id", "term_text", "added_on").iterator():
        key = (unit_id, text)
        pairs[key] = min(pairs.get(key, added), added)
    codes = dict(Unit.objects.filter(pk__in={u for u, _t in pairs}).values_list("pk", "code"))
    made = {}
    for (unit_id, text), first in pairs.items():
        m = _TERM.match(text or "")
        label = f"{m.group(1)}-{m.group(2)}" if m else (" ".join((text or "").split()) or "?")
        key = (codes[unit_id], label)
        if key not in made:
            if m and int(m.group(1)) < int(m.group(2)):
                start, end = dt.date(int(m.group(1)), 1, 1), dt.date(int(m.group(2)), 1, 1)
            else:
                start, end = first, None
            term = Term.objects.filter(body_code=codes[unit_id], kind="party_committee", label=label).first()
            made[key] = term or Term.objects.create(body_id=unit_id, body_code=codes[unit_id],
                                                    kind="party_committee", label=label, valid_from=start,
                                                    valid_to=end)
        PoolEntry.objects.filter(unit_id=unit_id, term_text=text).update(term_id=made[key].pk)


def backwards(apps, schema_editor):
    PoolEntry = apps.get_model("cadres", "PoolEntry")
    for entry in PoolEntry.objects.select_related("term").iterator():
        PoolEntry.objects.filter(pk=entry.pk).update(term_text=entry.term.label[:20])


class Migration(migrations.Migration):
    dependencies = [
        ("apparatus", "0002_term"),
        ("cadres", "0009_cadre_user_account"),
    ]

    operations = [
        migrations.RenameField("poolentry", "term", "term_text"),
        migrations.AddField(
            model_name="poolentry", name="term",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="pool_entries", to="apparatus.term", verbose_name="term"),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField("poolentry", "term_text"),
        migrations.AlterField(
            model_name="poolentry", name="term",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="pool_entries",
                                    to="apparatus.term", verbose_name="term"),
        ),
    ]
