from django.contrib import admin

from .models import BodyKind, Function, Level, Power, UnitKind


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "rank")


@admin.register(UnitKind)
class UnitKindAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "category", "level")
    list_filter = ("category", "level")


@admin.register(Function)
class FunctionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "required_in_kinds")
    search_fields = ("code", "name")


@admin.register(Power)
class PowerAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "legal_basis", "function")
    search_fields = ("code", "name", "legal_basis")


@admin.register(BodyKind)
class BodyKindAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "unit_kind", "territory_level", "per", "name_pattern")
    list_filter = ("territory_level", "per")
