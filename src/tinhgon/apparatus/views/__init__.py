"""Web pages of the apparatus registry (server-rendered, HTMX for the tree)."""

from .body_kinds import body_kinds
from .edit import (
    function_create,
    function_delete,
    function_edit,
    function_holding_create,
    position_create,
    position_delete,
    position_edit,
    power_create,
    power_delete,
    power_edit,
    power_holding_create,
    quota_delete,
    quota_set,
    unit_change,
    unit_create,
    unit_end,
)
from .overview import coverage, roadmap
from .staffing import position_detail, position_list, quota_detail, quota_list
from .tree import tree, tree_children, unit_tree
from .units import unit_detail, unit_export, unit_list

__all__ = [
    "body_kinds", "coverage", "function_create", "function_delete", "function_edit", "function_holding_create", "position_create", "position_delete", "position_detail", "position_edit",
    "position_list", "power_create", "power_delete", "power_edit", "power_holding_create", "quota_delete", "quota_detail", "quota_list", "quota_set",
    "roadmap", "tree", "tree_children", "unit_change", "unit_create", "unit_detail", "unit_end",
    "unit_export", "unit_list", "unit_tree",
]
