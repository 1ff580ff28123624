"""Web pages of restructuring plans (server-rendered, HTMX for the operation form and lineage)."""

from .body_ops import (
    body_operation_decide,
    body_operation_edit,
    body_operations,
    body_operations_action,
)
from .lineage import resolve, unit_lineage
from .operations import (
    operation_add,
    operation_delete,
    operation_form,
    operations_import,
    operations_import_errors,
    operations_template,
)
from .plans import plan_create, plan_detail, plan_list, plan_transition, violations_export
from .report import plan_report

__all__ = [
    "body_operation_decide", "body_operation_edit", "body_operations", "body_operations_action",
    "operation_add", "operation_delete", "operation_form", "operations_import", "operations_import_errors",
    "operations_template", "plan_create", "plan_detail", "plan_list", "plan_report", "plan_transition",
    "resolve", "unit_lineage", "violations_export",
]
