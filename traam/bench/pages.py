"""The pages the bench measures, and who opens them (a demo account, or
nobody). The past call at both scales is 2025-2026: its ranking and its
academy dashboard hold a national-size year."""

PAST_YEAR = "2025-2026"
CURRENT_YEAR = "2026-2027"

PILOT = "pilote@demo.traam.example"
TEACHER = "enseignant.grenoble@demo.traam.example"
INSPECTOR = "inspecteur.maths.grenoble@demo.traam.example"
DAN = "dan.grenoble@demo.traam.example"
REVIEWER = "igesr.maths@demo.traam.example"
ACCOUNTS = (PILOT, TEACHER, INSPECTOR, DAN, REVIEWER)

# name, address, account (None: anonymous)
MINIMAL = [
    ("page minimale (anonyme)", "/bench/minimal/", None),
    ("page minimale (connecté·e)", "/bench/minimal/", PILOT),
]
PAGES = [
    ("accueil", "/", None),
    ("appel", f"/appels/{CURRENT_YEAR}/", None),
    ("thématique", f"/appels/{CURRENT_YEAR}/mathematiques/thematique-1/", None),
    ("catalogue (recherche)", "/catalogue/?q=num%C3%A9rique", None),
    ("mes candidatures (enseignante)", "/candidatures/", TEACHER),
    ("candidatures de l'académie (inspectrice)", "/candidatures/academie/", INSPECTOR),
    ("tableau de l'académie (DAN)", f"/candidatures/delegation/{PAST_YEAR}/grenoble/", DAN),
    ("mes évaluations (évaluatrice)", "/selection/evaluations/", REVIEWER),
    ("classement d'une discipline (pilote)", f"/selection/pilotage/{PAST_YEAR}/mathematiques/", PILOT),
    ("tableau de bord (pilote)", "/tableau-de-bord/", PILOT),
    ("tableau de bord (DAN)", "/tableau-de-bord/", DAN),
    ("groupes de travail (pilote)", "/groupes/", PILOT),
]
