"""A cadre record may name the user account of the person (a nullable key, unique when set)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cadres', '0008_sqlite_scope_cover_adjust'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='cadre',
            name='user',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='cadre_records', to=settings.AUTH_USER_MODEL, verbose_name='user account'),
        ),
        migrations.AddConstraint(
            model_name='cadre',
            constraint=models.UniqueConstraint(condition=models.Q(('user__isnull', False)), fields=('user',), name='uniq_cadre_user'),
        ),
    ]
