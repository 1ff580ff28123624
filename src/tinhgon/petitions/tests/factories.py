"""Matters for tests, made through the petition services."""

from __future__ import annotations

import datetime as dt

from tinhgon.petitions import services

D = dt.date(2026, 3, 2)


def people(*names, reps=0):
    return [{"full_name": n, "phone": "0912345678", "is_representative": i < reps} for i, n in enumerate(names)]


def receive(**over):
    fields = dict(kind="complaint", subject="land", title="Khiếu nại quyết định thu hồi đất",
                  content="Ông Nguyễn Văn An khiếu nại việc thu hồi đất nông nghiệp tại tổ 5 không đúng quy định",
                  received_on=D, place_text="Phường Phúc Xá, Quận Ba Đình, Hà Nội",
                  petitioners=people("Nguyễn Văn An"))
    fields.update(over)
    return services.petition_receive(**fields)
