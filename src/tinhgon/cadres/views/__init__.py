"""Web pages of the cadre records (server-rendered, HTMX for the profile's forms)."""

from .edit import cadre_create, cadre_edit
from .manage import cadre_delete, photo_remove, photo_upload
from .profile import assignment_end, cadre_detail, pool_review_add, section_add
from .retiring import retiring
from .search import cadre_list, saved_search_create, saved_search_delete

__all__ = [
    "assignment_end", "cadre_create", "cadre_delete", "photo_remove", "photo_upload", "cadre_detail", "cadre_edit", "cadre_list", "pool_review_add", "retiring",
    "saved_search_create", "saved_search_delete", "section_add",
]
