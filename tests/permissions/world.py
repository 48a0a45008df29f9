"""The small world the permission matrix is checked against, built once per
test module through the apps' services (and the helpers of the stages'
conftests), inside a transaction that is rolled back at the end of the module.

Two academies in two regions: Grenoble (Auvergne-Rhône-Alpes) and Rennes
(Bretagne); two disciplines: mathematics and NSI.

- ``proposal_mine``: a Grenoble mathematics draft led by ``teacher``;
- ``proposal_nsi``: a Grenoble NSI proposal submitted by another team;
- ``proposal_rennes``: a Rennes mathematics proposal, selected (``group_rennes``);
- ``proposal_grenoble``: the Grenoble mathematics proposal of ``teacher``, selected (``group``);
- the reviewer (home academy Grenoble, mathematics) is assigned the Rennes
  proposal, and also, through an old assignment, the Grenoble one (a
  conflict of interest: it must never be shown to them);
- scenarios of the Grenoble group at each step (draft, submitted, published),
  a draft and a published one in the Rennes group;
- hours validated in both groups; the call's milestones; a published and an
  unpublished version of the mathematics bilan.
"""

import datetime
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bilans.enums import BilanKind, RunState
from bilans.models import BilanRun
from candidatures import attachments as proposal_attachments
from candidatures import services as proposals
from candidatures.enums import AcademicOpinion
from candidatures.models import Proposal
from productions import attachments as scenario_attachments
from productions import services as productions
from productions.models import Milestone, NationalGroup, WorkingGroup
from selection import services as selection
from selection.models import ReviewAssignment
from tests.candidatures.conftest import IN_WINDOW, fill, full_team
from tests.factories import make_user
from tests.productions.conftest import IN_PRODUCTION, TODAY, complete_content
from tests.selection.conftest import AFTER_DEADLINE, SENT_ON, justify_other_entries
from traam.enums import Role
from traam.models import Academy, Call, Discipline, Region, Theme

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

# The roles of the matrix, in the order of the report.
ANON = "anonymous"
STRANGER = "stranger"  # signed in, no role
TEACHER = "teacher"
CARDIE = "cardie"
INSPECTOR = "inspector"
DAN = "dan"
DRAN = "dran"
REVIEWER = "reviewer"
PILOT = "pilot"
ADMIN = "admin"  # superuser (site administration), no role
ROLES = (ANON, STRANGER, TEACHER, CARDIE, INSPECTOR, DAN, DRAN, REVIEWER, PILOT, ADMIN)


def pdf(name="document.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@dataclass
class World:
    call: Call
    grenoble: Academy
    rennes: Academy
    people: dict = field(default_factory=dict)
    objects: SimpleNamespace = field(default_factory=SimpleNamespace)
    files: list = field(default_factory=list)  # (storage, name) of the files stored

    def user(self, role):
        return self.people.get(role)


def _send(proposal, inspector, dan, academy):
    proposals.give_opinion(proposal, acting_user=inspector, opinion=AcademicOpinion.FAVOURABLE)
    proposals.decide(proposal, acting_user=inspector, retained=True)
    synthesis = proposals.compose_synthesis(
        proposal.theme.entry.call, academy, acting_user=dan, cover_note="", items=[(proposal, 1, "Priorité de l'académie.")], now=SENT_ON,
    )
    proposals.send_synthesis(synthesis, acting_user=dan, now=SENT_ON)
    return Proposal.objects.get(pk=proposal.pk)


def _team(academy_code, prefix, inspector, lead):
    academy = Academy.objects.get(code=academy_code)
    colleague = make_user(f"collegue.{prefix}@example.test", Role.TEACHER, academy=academy)
    cardie = make_user(f"cardie.{prefix}@example.test", Role.CARDIE, academy=academy)
    return colleague, cardie, full_team(lead, colleague, cardie, inspector)


def _scenario(group, author, title, *, until=None, inspector=None, edubase="", attachment=None):
    """A scenario of ``group`` walked through the services up to ``until``
    (None: a draft; "submitted"; "published"), with a file named ``attachment``
    joined while it is written. Returns (scenario, its attachment or None)."""
    scenario = productions.create_scenario(group, acting_user=author, title=title, now=IN_PRODUCTION)
    joined = scenario_attachments.add_attachment(scenario, pdf(attachment), acting_user=author) if attachment else None
    if until is None:
        return scenario, joined
    scenario.refresh_from_db()
    scenario = productions.save_scenario(scenario, complete_content(), acting_user=author, expected_version=scenario.version)
    scenario = productions.mark_tested(scenario, acting_user=author)
    scenario = productions.submit_for_validation(scenario, acting_user=author)
    if until == "submitted":
        return scenario, joined
    scenario = productions.validate(scenario, acting_user=inspector)
    return productions.publish(scenario, acting_user=inspector, edubase_url=edubase), joined


def build_world() -> World:
    call = Call.objects.get(year="2026-2027")
    grenoble, rennes = Academy.objects.get(code="grenoble"), Academy.objects.get(code="rennes")
    maths, nsi = Discipline.objects.get(code="mathematiques"), Discipline.objects.get(code="nsi")
    maths_theme = Theme.objects.get(entry__call=call, entry__code="mathematiques")
    nsi_theme = Theme.objects.get(entry__call=call, entry__code="nsi", order=1)
    world = World(call=call, grenoble=grenoble, rennes=rennes)
    o = world.objects

    # --- People ---------------------------------------------------------------------------------
    teacher = make_user("prof.grenoble@example.test", Role.TEACHER, academy=grenoble, first_name="Camille", last_name="Grenoble")
    inspector = make_user("ia-ipr.maths.grenoble@example.test", Role.INSPECTOR, academy=grenoble, disciplines=[maths])
    inspector_nsi = make_user("ia-ipr.nsi.grenoble@example.test", Role.INSPECTOR, academy=grenoble, disciplines=[nsi])
    teacher_nsi = make_user("prof.nsi.grenoble@example.test", Role.TEACHER, academy=grenoble)
    teacher_rennes = make_user("prof.rennes@example.test", Role.TEACHER, academy=rennes, first_name="Yann", last_name="Rennes")
    inspector_rennes = make_user("ia-ipr.maths.rennes@example.test", Role.INSPECTOR, academy=rennes, disciplines=[maths])
    dan = make_user("dan.grenoble@example.test", Role.DAN, academy=grenoble)
    dan_rennes = make_user("dan.rennes@example.test", Role.DAN, academy=rennes)
    dran = make_user("dran.ara@example.test", Role.DRAN, region=Region.objects.get(code="auvergne-rhone-alpes"))
    reviewer = make_user("expert.maths@example.test", Role.REVIEWER, academy=grenoble, disciplines=[maths])
    pilot = make_user("pilote@example.test", Role.PILOT)
    admin = make_user("admin@example.test", is_staff=True, is_superuser=True)
    stranger = make_user("inconnu@example.test")
    staff = make_user("personnel@example.test", is_staff=True)  # staff, but neither pilot nor superuser

    colleague, cardie, team = _team("grenoble", "grenoble", inspector, teacher)
    colleague_rennes, cardie_rennes, team_rennes = _team("rennes", "rennes", inspector_rennes, teacher_rennes)
    colleague_nsi, cardie_nsi, team_nsi = _team("grenoble", "nsi.grenoble", inspector_nsi, teacher_nsi)
    world.people = {
        STRANGER: stranger, TEACHER: teacher, CARDIE: cardie, INSPECTOR: inspector, DAN: dan, DRAN: dran, REVIEWER: reviewer,
        PILOT: pilot, ADMIN: admin,
    }
    o.staff = staff
    o.teacher_rennes = teacher_rennes
    o.inspector_rennes = inspector_rennes

    # --- Proposals (all started in the 2026 window) ----------------------------------------------
    o.proposal_grenoble = fill(proposals.start_proposal(maths_theme, acting_user=teacher, now=IN_WINDOW), teacher, team,
                               title="Différencier avec MathALÉA")
    o.attachment_grenoble = proposal_attachments.add_attachment(o.proposal_grenoble, pdf("annexe-grenoble.pdf"), acting_user=teacher)
    proposals.submit(o.proposal_grenoble, acting_user=teacher, now=IN_WINDOW)

    o.proposal_rennes = fill(proposals.start_proposal(maths_theme, acting_user=teacher_rennes, now=IN_WINDOW), teacher_rennes, team_rennes,
                             title="Plans de travail en Bretagne")
    o.attachment_rennes = proposal_attachments.add_attachment(o.proposal_rennes, pdf("annexe-rennes.pdf"), acting_user=teacher_rennes)
    proposals.submit(o.proposal_rennes, acting_user=teacher_rennes, now=IN_WINDOW)

    o.proposal_nsi = fill(proposals.start_proposal(nsi_theme, acting_user=teacher_nsi, now=IN_WINDOW), teacher_nsi, team_nsi,
                          title="Programmer un robot en NSI")
    o.attachment_nsi = proposal_attachments.add_attachment(o.proposal_nsi, pdf("annexe-nsi.pdf"), acting_user=teacher_nsi)
    proposals.submit(o.proposal_nsi, acting_user=teacher_nsi, now=IN_WINDOW)

    o.proposal_mine = fill(proposals.start_proposal(maths_theme, acting_user=teacher, now=IN_WINDOW), teacher, team,
                           title="Brouillon de l'équipe grenobloise")
    o.attachment_mine = proposal_attachments.add_attachment(o.proposal_mine, pdf("annexe-brouillon.pdf"), acting_user=teacher)

    o.proposal_grenoble = _send(o.proposal_grenoble, inspector, dan, grenoble)
    o.proposal_rennes = _send(o.proposal_rennes, inspector_rennes, dan_rennes, rennes)

    # --- National selection ------------------------------------------------------------------------
    o.grid = selection.ensure_grid(call, acting_user=pilot)
    o.criterion = o.grid.criteria.order_by("order", "pk").first()
    o.assignment = selection.assign_reviewer(o.proposal_rennes, reviewer, acting_user=pilot)
    # An assignment from before the reviewer joined Grenoble: a conflict of interest now.
    o.conflicting_assignment = ReviewAssignment.objects.create(proposal=o.proposal_grenoble, reviewer=reviewer)
    selection.select(o.proposal_grenoble, acting_user=pilot)
    selection.select(o.proposal_rennes, acting_user=pilot)
    justify_other_entries(call, pilot)
    selection.publish_results(call, acting_user=pilot, now=AFTER_DEADLINE)

    # --- Working groups, scenarios, hours, calendar ----------------------------------------------------
    productions.open_groups(call, acting_user=pilot, now=AFTER_DEADLINE)
    o.group = WorkingGroup.objects.get(proposal=o.proposal_grenoble)
    o.group_rennes = WorkingGroup.objects.get(proposal=o.proposal_rennes)
    o.national_group = NationalGroup.objects.filter(entry__call=call, entry__code="mathematiques").first()
    o.member = o.group.members.get(email=colleague.email)
    o.member_rennes = o.group_rennes.members.get(email=colleague_rennes.email)

    o.scenario_draft, o.scenario_attachment = _scenario(o.group, teacher, "Fractions en 6e (brouillon)", attachment="fiche-eleve.pdf")
    o.scenario_submitted, _ = _scenario(o.group, teacher, "Proportionnalité en 5e (soumise)", until="submitted")
    o.scenario_published, o.scenario_attachment_published = _scenario(
        o.group, teacher, "Calcul mental en 6e (publiée)", until="published", inspector=inspector,
        edubase="https://edubase.eduscol.education.fr/fiche/11111", attachment="fiche-publiee.pdf",
    )
    o.scenario_rennes, o.scenario_attachment_rennes = _scenario(o.group_rennes, teacher_rennes, "Statistiques en 2de (brouillon rennais)",
                                                                attachment="fiche-rennes.pdf")
    o.scenario_rennes_published, _ = _scenario(o.group_rennes, teacher_rennes, "Tableurs en 2de (publiée à Rennes)", until="published",
                                               inspector=inspector_rennes, edubase="https://edubase.eduscol.education.fr/fiche/22222")

    month = datetime.date(2026, 10, 1)
    o.hours = productions.declare_hours(o.group, acting_user=teacher, month=month, hours="6", description="Séances en classe.", today=TODAY)
    productions.validate_hours(o.hours, acting_user=inspector)
    o.hours_waiting = productions.declare_hours(o.group, acting_user=colleague, month=month, hours="4", description="Préparation.",
                                                today=TODAY)
    o.hours_rennes = productions.declare_hours(o.group_rennes, acting_user=teacher_rennes, month=month, hours="9",
                                               description="Séances à Rennes.", today=TODAY)
    productions.validate_hours(o.hours_rennes, acting_user=inspector_rennes)
    o.hours_rennes_waiting = productions.declare_hours(o.group_rennes, acting_user=colleague_rennes, month=month, hours="3",
                                                       description="Préparation rennaise.", today=TODAY)
    productions.ensure_milestones(call, acting_user=pilot)
    o.milestone = Milestone.objects.filter(call=call).order_by("due_on", "pk").first()

    # --- Bilans: a published and an unpublished version (no rendering: a stored PDF) ---------------------
    maths_entry = o.group.entry
    now = timezone.now()
    o.bilan_published = BilanRun.objects.create(
        call=call, entry=maths_entry, kind=BilanKind.ENTRY, version=1, state=RunState.DONE, progress=100, finished_at=now,
        requested_by=pilot, is_published=True, published_at=now, published_by=pilot,
    )
    o.bilan_published.file.save("bilan.pdf", ContentFile(PDF_BYTES))
    o.bilan_unpublished = BilanRun.objects.create(
        call=call, entry=maths_entry, kind=BilanKind.ENTRY, version=2, state=RunState.DONE, progress=100, finished_at=now,
        requested_by=pilot,
    )
    o.bilan_unpublished.file.save("bilan.pdf", ContentFile(PDF_BYTES))
    # Roles a DAN of Grenoble may revoke, and one they may not.
    o.role_grenoble = teacher_nsi.role_assignments.get()
    o.role_rennes = teacher_rennes.role_assignments.get()
    world.files = [
        (attachment.file.storage, attachment.file.name)
        for attachment in (o.attachment_grenoble, o.attachment_rennes, o.attachment_nsi, o.attachment_mine, o.scenario_attachment,
                           o.scenario_attachment_rennes, o.scenario_attachment_published, o.bilan_published, o.bilan_unpublished)
    ]
    return world


def remove_files(world):
    """The files the world stored (attachments, bilans) go with it."""
    for storage, name in world.files:
        storage.delete(name)
