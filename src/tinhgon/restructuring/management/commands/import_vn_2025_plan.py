import time

from django.core.management.base import BaseCommand, CommandError

from tinhgon.apparatus.models import Unit
from tinhgon.core.changelog import acting_as
from tinhgon.restructuring import vn2025
from tinhgon.restructuring.models import Plan
from tinhgon.restructuring.services import (
    PlanRefused,
    body_operations_decide_all,
    body_operations_derive,
    body_operations_include,
    operations_add,
    plan_apply,
    plan_approve,
    plan_create,
    plan_validate,
)


class Command(BaseCommand):
    help = (
        "Build Vietnam's 2025 reorganization (63 → 34 provinces, no district level, 10,035 → 3,321 communes) "
        "as one plan effective 2025-07-01, validate, approve and apply it. Re-running changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-apply", action="store_true", help="Build and validate only.")

    def handle(self, *args, no_apply=False, **options):
        plan = Plan.objects.filter(name=vn2025.PLAN_NAME).first()
        if plan is not None and plan.status == Plan.APPLIED:
            self._companion(plan, no_apply)
            return
        if not Unit.objects.filter(code="01").exists():
            raise CommandError("Load the pre-2025 apparatus first: tinhgon import-vn-admin-units")
        t0 = time.perf_counter()
        with acting_as(None, source="cli"):
            if plan is None:
                plan = plan_create(name=vn2025.PLAN_NAME, effective_date=vn2025.EFFECTIVE,
                                   legal_basis=vn2025.LEGAL_BASIS, rationale=vn2025.RATIONALE)
                ops = vn2025.build_operations()
                operations_add(plan=plan, operations=ops)
                self.stdout.write(f"Plan #{plan.pk}: {len(ops)} operations ({time.perf_counter() - t0:.1f} s).")
                n = self._include_bodies(plan)
                self.stdout.write(f"Plan #{plan.pk}: {n} body operations derived and added "
                                  f"({time.perf_counter() - t0:.1f} s).")
            if plan.status == Plan.APPROVED:  # an earlier run stopped after approval
                plan.status = Plan.VALIDATED
                plan.save(update_fields=["status"])
            t1 = time.perf_counter()
            found = plan_validate(plan=plan)
            errors = [f for f in found if f["severity"] == "error"]
            by_code: dict[str, int] = {}
            for f in found:
                by_code[f"{f['severity']}:{f['code']}"] = by_code.get(f"{f['severity']}:{f['code']}", 0) + 1
            self.stdout.write(f"Validated in {time.perf_counter() - t1:.1f} s: "
                              + (", ".join(f"{k} {v}" for k, v in sorted(by_code.items())) or "no findings"))
            if errors:
                for f in errors[:20]:
                    self.stderr.write(f"  {f['code']}: {f['message_en']}")
                raise CommandError(f"{len(errors)} errors; the plan stays a draft.")
            if no_apply:
                return
            try:
                plan_approve(plan=plan)
                t2 = time.perf_counter()
                application = plan_apply(plan=plan)
            except PlanRefused as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Applied in {time.perf_counter() - t2:.1f} s: {len(application.ended)} versions ended, "
            f"{len(application.created)} created (total {time.perf_counter() - t0:.1f} s)."
        )

    @staticmethod
    def _include_bodies(plan) -> int:
        """Derive the body operations of the bodies present and add them all to the plan."""
        try:
            if not body_operations_derive(plan=plan):
                return 0
            body_operations_decide_all(plan=plan, decision="accepted")
            return len(body_operations_include(plan=plan))
        except PlanRefused as exc:
            raise CommandError(str(exc)) from exc

    def _companion(self, plan, no_apply: bool) -> None:
        """The plan was applied before it carried body operations: add those of the bodies present
        now, once, as a companion plan effective the same day."""
        from tinhgon.restructuring import bodies

        companion = Plan.objects.filter(name=vn2025.COMPANION_NAME).first()
        if companion is not None and companion.status == Plan.APPLIED:
            self.stdout.write(f"Plan #{plan.pk} and its companion #{companion.pk} are applied; nothing to do.")
            return
        with acting_as(None, source="cli"):
            if companion is None:
                proposals = bodies.derive(bodies.from_applied(plan))
                if not proposals:
                    self.stdout.write(f"Plan #{plan.pk} is already applied and no body is left behind; "
                                      "nothing to do.")
                    return
                companion = plan_create(name=vn2025.COMPANION_NAME, effective_date=plan.effective_date,
                                        legal_basis=plan.legal_basis, rationale=vn2025.COMPANION_RATIONALE)
                operations_add(plan=companion, operations=[(p.kind, p.data) for p in proposals])
                self.stdout.write(f"Plan #{plan.pk} was applied without body operations: companion plan "
                                  f"#{companion.pk} with {len(proposals)} body operations.")
            if companion.status == Plan.APPROVED:
                companion.status = Plan.VALIDATED
                companion.save(update_fields=["status"])
            found = plan_validate(plan=companion)
            errors = [f for f in found if f["severity"] == "error"]
            if errors:
                for f in errors[:20]:
                    self.stderr.write(f"  {f['code']}: {f['message_en']}")
                raise CommandError(f"{len(errors)} errors; the companion plan stays a draft.")
            if no_apply:
                return
            try:
                plan_approve(plan=companion)
                application = plan_apply(plan=companion)
            except PlanRefused as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(f"Companion plan #{companion.pk} applied: {len(application.ended)} versions ended, "
                          f"{len(application.created)} created.")
