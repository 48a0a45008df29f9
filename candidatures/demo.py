"""Demo proposals (DESIGN.md demo contract), built through the services so that
each has its real history.

- 2026-2027, whose proposal window is past: the national picture the selection
  stage starts from. Fourteen academies sent their synthesis before the deadline
  (Grenoble's by dan.grenoble@demo.traam.example on 27 March 2026, Lyon's by
  dan.lyon@demo.traam.example): 9 proposals in Mathématiques, 6 in NSI, 4 in
  Histoire-géographie, 3 in Lettres, 2 in SVT Année 1, beside proposals not
  retained, withdrawn or left as drafts.
- The open demo call: Grenoble and Lyon proposals at every academic state, and a
  retained Grenoble proposal so that the DAN can compose and send a synthesis live.

People outside the ten demo accounts are background accounts
(``prenom.nom@ac-<academy>.example``) that cannot sign in.
"""

import datetime
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType

from traam.demo import DEMO_CALL_YEAR
from traam.enums import Role
from traam.models import PARIS, Academy, AuditEntry, Call, ClassLevel, CrcnCompetence, DigitalCommon, Discipline, RoleAssignment, Theme, User

from . import services
from .enums import AcademicOpinion, AIUsage, ProposalState, TeamRole
from .models import AcademicSynthesis, Proposal
from .validators import uai_check_letter

PAST_CALL_YEAR = "2026-2027"
# Inside the 2026-2027 proposal window (12 January → 31 March 2026, Paris).
PAST_WINDOW = datetime.datetime(2026, 1, 13, 9, 0, tzinfo=PARIS)
SYNTHESIS_SENT = datetime.datetime(2026, 3, 27, 16, 30, tzinfo=PARIS)

FAVOURABLE, RESERVED, UNFAVOURABLE = AcademicOpinion.FAVOURABLE, AcademicOpinion.RESERVED, AcademicOpinion.UNFAVOURABLE
NO_AI, TEACHER_AI, STUDENT_AI = AIUsage.NONE, AIUsage.TEACHER_PRACTICE, AIUsage.STUDENT_LEARNING

# Where a planned proposal ends. SENT is reached through the academy's synthesis;
# WITHDRAWN_DRAFT is a draft its lead withdrew without submitting it.
DRAFT, SUBMITTED, RETURNED = ProposalState.DRAFT, ProposalState.SUBMITTED, ProposalState.RETURNED
RETAINED, NOT_RETAINED, SENT = ProposalState.RETAINED, ProposalState.NOT_RETAINED, ProposalState.SENT
WITHDRAWN, WITHDRAWN_DRAFT = ProposalState.WITHDRAWN, "withdrawn_draft"

DEMO_TEACHERS = {"grenoble": "enseignant.grenoble@demo.traam.example", "lyon": "enseignant.lyon@demo.traam.example"}
DEMO_DANS = {"grenoble": "dan.grenoble@demo.traam.example", "lyon": "dan.lyon@demo.traam.example"}
DEMO_CARDIES = {"grenoble": "cardie.grenoble@demo.traam.example"}
DEMO_INSPECTORS = {
    ("grenoble", "mathematiques"): "inspecteur.maths.grenoble@demo.traam.example",
    ("lyon", "mathematiques"): "inspecteur.maths.lyon@demo.traam.example",
}


class AcademyCast(NamedTuple):
    """An academy's departments (the first digits of its schools' UAI codes), its
    DAN and CARDIE representative when they are not demo accounts, and its
    2026-2027 synthesis: when it was sent and its cover note."""

    departments: tuple
    dan: str = ""
    cardie: str = ""
    sent_at: datetime.datetime | None = None
    cover_note: str = ""


def paris(month, day, hour, minute):
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=PARIS)


ACADEMIES = {
    "grenoble": AcademyCast(
        ("038", "073", "074", "026", "007"), sent_at=SYNTHESIS_SENT,
        cover_note="Deux projets complémentaires, au collège et au lycée, et un projet de SNT sur la cybersécurité.",
    ),
    "lyon": AcademyCast(
        ("069", "001", "042"), cardie="Karim Benali", sent_at=paris(3, 30, 11, 40),
        cover_note="L'académie de Lyon transmet trois projets dans trois disciplines ; chacun associe des établissements "
        "du Rhône, de l'Ain et de la Loire.",
    ),
    "bordeaux": AcademyCast(
        ("033", "024", "040", "047", "064"), "Céline Dufour", "Jérôme Labat", paris(3, 24, 15, 10),
        "Deux projets retenus après examen par les corps d'inspection ; le projet d'histoire-géographie s'appuie sur "
        "un partenariat avec les musées de la ville.",
    ),
    "lille": AcademyCast(
        ("059", "062"), "Frédéric Vandamme", "Aurélie Delcourt", paris(3, 26, 9, 45),
        "Un projet de mathématiques associant des collèges et des lycées de la métropole lilloise ; le projet de NSI a été "
        "retiré par son équipe.",
    ),
    "nantes": AcademyCast(
        ("044", "049", "053", "072", "085"), "Gwenaëlle Le Goff", "Yann Guérin", paris(3, 31, 17, 20),
        "Deux projets ; le projet de lettres a fait l'objet d'une analyse d'impact avec le délégué à la protection des données.",
    ),
    "toulouse": AcademyCast(
        ("031", "009", "012", "032", "046", "065", "081", "082"), "Laurent Castéra", "Sandrine Fabre", paris(3, 20, 14, 0),
        "Deux projets associant des établissements de Haute-Garonne et du Tarn, en mathématiques et en NSI.",
    ),
    "versailles": AcademyCast(
        ("078", "091", "092", "095"), "Nathalie Besson", "Mehdi Haddad", paris(3, 25, 10, 30),
        "Deux projets, en mathématiques et en NSI ; l'avis réservé de l'inspection sur le premier portait sur l'usage de l'IA, "
        "que l'équipe a depuis précisé.",
    ),
    "rennes": AcademyCast(
        ("035", "022", "029", "056"), "Erwan Le Bihan", "Maëlle Tanguy", paris(3, 23, 16, 5),
        "Deux projets bretons, en histoire-géographie et en mathématiques, qui associent des collèges ruraux et urbains.",
    ),
    "aix-marseille": AcademyCast(
        ("013", "004", "005", "084"), "Stéphane Giordano", "Leïla Mansouri", paris(3, 27, 11, 15),
        "Un projet de NSI sur la cybersécurité, soutenu par le campus des métiers et des qualifications du numérique.",
    ),
    "montpellier": AcademyCast(
        ("034", "011", "030", "048", "066"), "Isabelle Roux", "Julien Azéma", paris(3, 26, 14, 35),
        "Deux projets : un en SVT dans l'approche « Une seule santé », un en NSI sur l'égalité filles-garçons.",
    ),
    "strasbourg": AcademyCast(
        ("067", "068"), "Thierry Meyer", "Claire Wagner", paris(3, 31, 10, 5),
        "Un projet d'histoire-géographie qui tire parti de la présence des institutions européennes à Strasbourg.",
    ),
    "normandie": AcademyCast(
        ("014", "027", "050", "061", "076"), "Pascale Lemarchand", "Antoine Hébert", paris(3, 24, 9, 20),
        "Un projet d'histoire-géographie associant collèges et lycées professionnels du Calvados et de la Manche.",
    ),
    "creteil": AcademyCast(
        ("093", "094", "077"), "Samia Benkhelifa", "Vincent Lopez", paris(3, 30, 9, 10),
        "Un projet de langues et cultures de l'Antiquité mené dans trois établissements de Seine-Saint-Denis et du Val-de-Marne.",
    ),
    "clermont-ferrand": AcademyCast(
        ("063", "003", "015", "043"), "Bernard Chassaing", "Agnès Vidal", paris(3, 25, 16, 40),
        "Un projet de SVT associant un lycée agricole partenaire pour le volet de santé animale.",
    ),
    "reims": AcademyCast(("051", "008", "010", "052"), "Patrick Lambert", "Hélène Thiébaut"),
}

# Inspector of an academy × discipline (the demo accounts cover maths in Grenoble and Lyon).
INSPECTORS = {
    ("grenoble", "nsi"): "Bruno Lefèvre",
    ("grenoble", "histoire-geographie"): "Anne-Sophie Perret",
    ("grenoble", "lettres"): "Catherine Jourdan",
    ("lyon", "nsi"): "Philippe Chabert",
    ("lyon", "lettres"): "Valérie Berthet",
    ("bordeaux", "mathematiques"): "Olivier Brunet",
    ("bordeaux", "nsi"): "Marc Dupuy",
    ("bordeaux", "histoire-geographie"): "Hélène Lafargue",
    ("lille", "mathematiques"): "Nicolas Lefebvre",
    ("lille", "nsi"): "Sébastien Deprez",
    ("lille", "lettres"): "Martine Dubois",
    ("nantes", "mathematiques"): "François Bouchet",
    ("nantes", "lettres"): "Anne Ménard",
    ("toulouse", "mathematiques"): "Jean-Pierre Soulié",
    ("toulouse", "nsi"): "Laure Delmas",
    ("versailles", "mathematiques"): "Karine Moreau",
    ("versailles", "nsi"): "Laurent Bazin",
    ("rennes", "mathematiques"): "Ronan Le Gall",
    ("rennes", "histoire-geographie"): "Sophie Jégou",
    ("aix-marseille", "nsi"): "David Santini",
    ("montpellier", "mathematiques"): "Patrick Granier",
    ("montpellier", "nsi"): "Florence Pujol",
    ("montpellier", "svt"): "Éric Salles",
    ("strasbourg", "histoire-geographie"): "Michel Hoffmann",
    ("strasbourg", "lettres"): "Sabine Koenig",
    ("normandie", "histoire-geographie"): "Denis Lecoq",
    ("normandie", "svt"): "Carole Marie",
    ("creteil", "lettres"): "Fatima Ouali",
    ("clermont-ferrand", "svt"): "Alain Bonnet",
}


@dataclass
class Plan:
    """One demo proposal: where it is, who carries it, where it ends."""

    academy: str
    entry: str
    outcome: str
    lead: str  # a demo account's address, or the name of a background teacher
    colleagues: tuple  # a teacher and the referent teacher; one name only leaves the team incomplete
    content: dict
    theme: int = 1
    opinion: tuple = ()  # (opinion, comment)
    reason: str = ""  # why it was returned or withdrawn
    priority: int = 0  # in the academy's synthesis
    note: str = ""  # the academy's comment in its synthesis

    @property
    def discipline(self):
        return "svt" if self.entry.startswith("svt") else self.entry


# --- Content --------------------------------------------------------------------

MATHS = [
    {
        "title": "Parcours différenciés en calcul mental avec MathALÉA",
        "summary": "Des parcours d'automatismes générés par MathALÉA, adaptés au profil de chaque élève de 6e et 5e.",
        "objectives": "Consolider les automatismes de calcul et rendre visibles les progrès de chacun.",
        "problem": "Comment différencier les entraînements sans multiplier les supports pour l'enseignant ?",
        "digital_tools": "MathALÉA, Capytale, ENT",
        "ai_usage": NO_AI,
        "levels": ["college"], "commons": ["mathalea", "capytale"], "crcn": ["1.3", "5.2"],
    },
    {
        "title": "Des exerciseurs Éléa pour la remédiation en seconde",
        "summary": "Des parcours Éléa avec rétroaction immédiate pour les élèves en difficulté en début de seconde.",
        "objectives": "Repérer les besoins et proposer une remédiation ciblée en autonomie.",
        "problem": "Comment outiller la remédiation en classe entière ?",
        "digital_tools": "Éléa (Moodle), tableurs",
        "ai_usage": TEACHER_AI,
        "ai_tools": "Assistant de génération d'exercices validés par l'enseignant",
        "ai_precautions": "Aucune donnée d'élève n'est transmise à l'outil.",
        "levels": ["lycee-gt"], "commons": ["elea"], "crcn": ["1.3"],
    },
    {
        "title": "Géométrie dynamique et tutorat entre pairs",
        "summary": "Des activités de géométrie dynamique où les élèves avancés guident leurs pairs.",
        "objectives": "Développer l'argumentation et l'autonomie.",
        "problem": "Comment organiser une différenciation par les pairs outillée par le numérique ?",
        "digital_tools": "GeoGebra, Capytale",
        "ai_usage": NO_AI,
        "levels": ["college", "lycee-gt"], "commons": ["capytale"], "crcn": ["2.3", "3.2"],
    },
]

GRENOBLE_COLLEAGUES = ("Thomas Girard", "Inès Morel")
LYON_COLLEAGUES = ("Julie Perrin", "Malik Roux")

PAST_CALL = [
    # Mathématiques — « Différencier en mathématiques »: nine sent from eight academies.
    Plan("grenoble", "mathematiques", SENT, DEMO_TEACHERS["grenoble"], GRENOBLE_COLLEAGUES, MATHS[0],
         opinion=(FAVOURABLE, "Équipe solide, projet transférable."), priority=1, note="Projet prioritaire de l'académie."),
    Plan("grenoble", "mathematiques", SENT, DEMO_TEACHERS["grenoble"], GRENOBLE_COLLEAGUES, MATHS[1],
         opinion=(FAVOURABLE, "Équipe solide, projet transférable."), priority=2),
    Plan("lyon", "mathematiques", NOT_RETAINED, DEMO_TEACHERS["lyon"], LYON_COLLEAGUES, MATHS[2],
         opinion=(UNFAVOURABLE, "Le lien avec la thématique reste à préciser.")),
    Plan("lyon", "mathematiques", SENT, "Claire Vidal", ("Antoine Chevalier", "Sarah Mercier"), {
        "title": "Plans de travail différenciés en liaison 3e-seconde avec Capytale",
        "summary": "Des plans de travail à trois niveaux de guidage, conçus ensemble par des enseignants de collège et de lycée, "
        "sur les fonctions et le calcul littéral.",
        "objectives": "Assurer la continuité des apprentissages entre la 3e et la seconde ; permettre à chaque élève de choisir "
        "un niveau d'aide et d'en changer en cours de séance.",
        "problem": "Comment des plans de travail numériques peuvent-ils accompagner les élèves dans la transition collège-lycée "
        "sans les enfermer dans un niveau ?",
        "digital_tools": "Capytale (carnets Python et activités GeoGebra), MathALÉA, ENT",
        "ai_usage": NO_AI,
        "levels": ["college", "lycee-gt"], "commons": ["capytale", "mathalea"], "crcn": ["1.3", "3.4"],
    }, opinion=(FAVOURABLE, "Projet de liaison exemplaire, appuyé sur le réseau de bassin."), priority=2,
        note="Prolonge le travail du réseau de liaison 3e-seconde du Rhône."),
    Plan("nantes", "mathematiques", SENT, "Pauline Le Roux", ("Damien Cormier", "Lucie Brochard"), {
        "title": "Évaluer pour différencier : diagnostics flash et groupes de besoin",
        "summary": "Des évaluations diagnostiques courtes en début de séquence déterminent des groupes de besoin mouvants, "
        "chacun avec son parcours MathALÉA, de la 4e à la seconde.",
        "objectives": "Identifier rapidement les acquis et les erreurs types ; constituer des groupes de besoin qui évoluent "
        "au fil de la séquence.",
        "problem": "Comment exploiter les résultats d'un diagnostic numérique pour organiser des groupes de besoin réellement mouvants ?",
        "digital_tools": "MathALÉA, Capytale, Éléa",
        "ai_usage": NO_AI,
        "levels": ["college", "lycee-gt"], "commons": ["mathalea", "capytale", "elea"], "crcn": ["1.2", "1.3"],
    }, opinion=(FAVOURABLE, "Répond directement aux attentes sur les groupes de besoin."), priority=1,
        note="Démarche déjà éprouvée dans les établissements du bassin nantais."),
    Plan("versailles", "mathematiques", SENT, "Sophie Nguyen", ("Benoît Garnier", "Amandine Petit"), {
        "title": "Résolution de problèmes : des coups de pouce numériques gradués",
        "summary": "Des élèves de cycle 4 et de seconde résolvent des problèmes ouverts en sollicitant, à la demande, des aides "
        "graduées (indices, courtes vidéos, exemples travaillés) déposées sur Éléa.",
        "objectives": "Développer la persévérance et l'autonomie en résolution de problèmes ; repérer les besoins à partir des "
        "traces laissées par les élèves.",
        "problem": "Comment doser l'aide apportée à chaque élève en résolution de problèmes sans lui retirer sa part de recherche ?",
        "digital_tools": "Éléa, capsules vidéo, GeoGebra",
        "ai_usage": TEACHER_AI,
        "ai_tools": "Assistant conversationnel institutionnel pour proposer des premières versions d'indices, relues et reprises "
        "par l'enseignant.",
        "ai_precautions": "Aucune production d'élève n'est transmise à l'outil ; usage depuis le compte professionnel de l'enseignant.",
        "levels": ["college", "lycee-gt"], "commons": ["elea"], "crcn": ["1.3", "3.2"],
    }, opinion=(RESERVED, "Démarche pertinente ; l'usage de l'IA pour produire les indices devra être davantage encadré."),
        priority=1, note="Usage de l'IA précisé par l'équipe après l'avis de l'inspection."),
    Plan("lille", "mathematiques", SENT, "Mathieu Declercq", ("Élodie Vasseur", "Kévin Lemaire"), {
        "title": "Statistiques sur données réelles : des parcours selon la maîtrise des outils",
        "summary": "Des élèves de 3e et de seconde analysent des données ouvertes (météo, transports de la métropole lilloise) "
        "dans des parcours différenciés selon leur maîtrise du tableur et de Python.",
        "objectives": "Donner du sens aux statistiques ; différencier les outils de traitement selon les acquis ; apprendre à "
        "interpréter un résultat.",
        "problem": "Comment différencier le traitement de données réelles pour que tous les élèves en interprètent les résultats ?",
        "digital_tools": "Tableur, Capytale (Python), jeux de données ouverts de data.gouv.fr",
        "ai_usage": TEACHER_AI,
        "ai_tools": "IA générative pour préparer des jeux de données simplifiés et des questions de plusieurs niveaux.",
        "ai_precautions": "Seules des données publiques et agrégées sont utilisées ; aucune donnée relative aux élèves.",
        "levels": ["college", "lycee-gt"], "commons": ["capytale"], "crcn": ["1.2", "1.3"],
    }, opinion=(FAVOURABLE, "Bonne progression sur les données ; les compétences du CRCN sont à expliciter."), priority=1,
        note="Projet inscrit dans le plan académique pour les mathématiques."),
    Plan("toulouse", "mathematiques", SENT, "Cédric Bousquet", ("Marion Escande", "Nadia Cherif"), {
        "title": "Algorithmique et programmation : des défis à paliers de la 4e à la seconde",
        "summary": "Des défis de programmation Python à paliers dans Capytale, qui prolongent Scratch au collège : chaque élève "
        "progresse à son rythme, guidé par des tests automatiques.",
        "objectives": "Faire progresser tous les élèves en algorithmique ; donner un retour immédiat grâce aux tests automatisés.",
        "problem": "Comment accompagner des élèves aux acquis très hétérogènes en programmation, du langage par blocs au langage textuel ?",
        "digital_tools": "Capytale (Python, Scratch), Vittascience",
        "ai_usage": STUDENT_AI,
        "ai_tools": "Assistant de programmation limité à l'explication des messages d'erreur, en classe de seconde.",
        "ai_precautions": "Comptes anonymisés de l'ENT ; aucune donnée nominative transmise ; usage encadré par une charte "
        "présentée aux familles.",
        "levels": ["college", "lycee-gt"], "commons": ["capytale", "vittascience"], "crcn": ["3.4", "5.1"],
    }, opinion=(FAVOURABLE, "Usage de l'IA bien circonscrit ; le calendrier des productions reste à détailler."), priority=1,
        note="Projet ancré dans le plan académique de formation en mathématiques."),
    Plan("bordeaux", "mathematiques", SENT, "Anne Lacoste", ("Romain Darrigade", "Sylvie Etcheverry"), {
        "title": "Géométrie dans l'espace : différencier par les représentations",
        "summary": "Des activités qui permettent à chaque élève de 3e et de seconde de passer du solide manipulé à sa "
        "représentation en 3D puis au calcul, selon ses besoins.",
        "objectives": "Lever les obstacles de la vision dans l'espace ; proposer plusieurs entrées (manipulation, logiciel 3D, "
        "patron) pour une même tâche.",
        "problem": "Comment le numérique permet-il de proposer plusieurs représentations d'un même objet pour que chaque élève "
        "accède au raisonnement ?",
        "digital_tools": "GeoGebra 3D, Capytale, Éléa",
        "ai_usage": NO_AI,
        "levels": ["college", "lycee-gt"], "commons": ["capytale", "elea"], "crcn": ["3.2", "5.2"],
    }, opinion=(FAVOURABLE, "Projet original sur un point difficile des programmes."), priority=1,
        note="Équipe collège-lycée déjà engagée dans les TraAM."),
    Plan("rennes", "mathematiques", SENT, "Gaëlle Le Floch", ("Tristan Morvan", "Anne Pichon"), {
        "title": "Classe inversée et capsules différenciées pour les automatismes",
        "summary": "Des capsules vidéo courtes et des exercices MathALÉA auto-corrigés en trois niveaux, préparés par des "
        "collèges et des lycées du Finistère et d'Ille-et-Vilaine.",
        "objectives": "Libérer du temps en classe pour l'accompagnement individualisé ; permettre à chaque élève de revoir les "
        "notions à son rythme ; diffuser la démarche par un parcours M@gistère.",
        "problem": "Comment articuler le travail hors la classe et l'accompagnement en classe pour que la différenciation "
        "profite d'abord aux élèves fragiles ?",
        "digital_tools": "MathALÉA, Éléa, capsules vidéo hébergées par l'académie",
        "ai_usage": NO_AI,
        "levels": ["college", "lycee-gt"], "commons": ["mathalea", "elea", "magistere"], "crcn": ["3.2", "2.2"],
    }, opinion=(FAVOURABLE, "Dimension de formation des pairs très appréciée."), priority=2),
    Plan("grenoble", "mathematiques", WITHDRAWN, "Lucie Bonnard", ("Florian Rey", "Chloé Arnaud"), {
        "title": "Un jeu d'évasion mathématique différencié en 5e",
        "summary": "Un jeu d'évasion numérique dont les énigmes, sur les fractions et la proportionnalité, existent en trois "
        "niveaux de difficulté.",
        "objectives": "Motiver les élèves en difficulté ; travailler la proportionnalité en contexte.",
        "problem": "Un dispositif ludique peut-il différencier sans stigmatiser les élèves les plus fragiles ?",
        "digital_tools": "Éléa, Genially",
        "ai_usage": NO_AI,
        "levels": ["college"], "commons": ["elea"], "crcn": ["3.2"],
    }, reason="La coordinatrice change d'établissement à la rentrée : l'équipe présentera le projet l'an prochain."),
    Plan("montpellier", "mathematiques", NOT_RETAINED, "Hélène Cabrol", ("Maxime Teissier", "Laura Combes"), {
        "title": "Carnets de bord numériques pour l'auto-évaluation en mathématiques",
        "summary": "Chaque élève de 6e tient un carnet de bord numérique où il positionne ses réussites et choisit ses exercices.",
        "objectives": "Développer la métacognition ; impliquer l'élève dans le choix de son parcours.",
        "problem": "Comment l'auto-évaluation outillée peut-elle guider la différenciation ?",
        "digital_tools": "Carnet numérique de l'ENT, MathALÉA",
        "ai_usage": NO_AI,
        "levels": ["college"], "commons": ["mathalea"], "crcn": ["3.1"],
    }, opinion=(RESERVED, "Projet intéressant mais limité au collège : la thématique demande des équipes de collège et de lycée.")),
    Plan("reims", "mathematiques", DRAFT, "Stéphanie Collin", ("Guillaume Perrot",), {
        "title": "Différencier avec les tablettes en 6e",
        "summary": "Des exercices sur tablette adaptés à chaque élève.",
        "ai_usage": NO_AI, "levels": ["college"],
    }),
    # NSI — two themes: six sent from six academies, three on each.
    Plan("grenoble", "nsi", SENT, "Thibault Fournier", ("Camille Pellet", "Yasmine Bouzid"), {
        "title": "Cyber-enquêteurs : comprendre et déjouer l'hameçonnage en SNT",
        "summary": "Des élèves de seconde analysent de faux courriels et de faux messages de réseaux sociaux dans un environnement "
        "simulé, puis conçoivent une campagne de prévention pour leur lycée.",
        "objectives": "Reconnaître les techniques d'ingénierie sociale ; comprendre l'authentification et le chiffrement ; "
        "produire une ressource de prévention pour les autres élèves.",
        "problem": "Comment rendre les élèves acteurs de leur propre sécurité sur les réseaux sociaux ?",
        "digital_tools": "Capytale, Éléa, messagerie simulée hors ligne",
        "ai_usage": NO_AI,
        "levels": ["lycee-gt"], "commons": ["capytale", "elea"], "crcn": ["4.1", "4.2"],
    }, opinion=(FAVOURABLE, "Scénarios réalistes, sans exposition des données des élèves."), priority=3,
        note="Équipe expérimentée, appuyée par la DRANE pour les environnements simulés."),
    Plan("versailles", "nsi", SENT, "Vincent Noël", ("Laure Mathieu", "Karim Saïdi"), {
        "title": "Ce que révèlent les métadonnées : une enquête sur la vie privée en ligne",
        "summary": "Des élèves de SNT et de première NSI enquêtent sur un compte fictif compromis : métadonnées d'images, traces "
        "de connexion, mots de passe et paramètres de confidentialité.",
        "objectives": "Comprendre la notion de métadonnée et de traçabilité ; analyser une attaque courante ; adopter des "
        "réglages protecteurs et connaître ses droits au titre du RGPD.",
        "problem": "Comment faire de la cybersécurité un objet d'enquête plutôt qu'une liste de consignes, sans exposer les "
        "données des élèves ?",
        "digital_tools": "Capytale (Python : lecture des données EXIF), réseau pédagogique isolé, réseau social fermé de l'ENT",
        "ai_usage": NO_AI,
        "levels": ["lycee-gt"], "commons": ["capytale"], "crcn": ["4.2", "1.2"],
    }, opinion=(FAVOURABLE, "Très bon ancrage dans les programmes de SNT et de NSI."), priority=2,
        note="Projet transférable dans tous les lycées : il ne demande qu'un accès à Capytale."),
    Plan("aix-marseille", "nsi", SENT, "Romain Ferrara", ("Jessica Pons", "Mickaël Orsini"), {
        "title": "Capture the flag au lycée : un parcours ludique de cybersécurité",
        "summary": "Un parcours de défis de type « capture the flag » en SNT et en terminale NSI, hybride sur Éléa et débranché "
        "pour les notions de chiffrement.",
        "objectives": "Mobiliser les notions du programme (réseaux, protocoles, chiffrement) dans des défis motivants ; "
        "faire découvrir les métiers de la cybersécurité.",
        "problem": "Comment une approche ludopédagogique peut-elle faire comprendre les principes de la sécurité des réseaux ?",
        "digital_tools": "Éléa, Capytale (Python), machines virtuelles du lycée, cartes de chiffrement débranchées",
        "ai_usage": TEACHER_AI,
        "ai_tools": "IA générative pour scénariser les énigmes et varier les jeux de données.",
        "ai_precautions": "Aucune donnée d'élève ni aucune donnée d'infrastructure réelle n'est saisie dans l'outil.",
        "levels": ["lycee-gt"], "commons": ["elea", "capytale"], "crcn": ["4.1", "3.4"],
    }, opinion=(FAVOURABLE, "Ressources réutilisables en mode débranché comme en ligne."), priority=1),
    Plan("lyon", "nsi", SENT, "Aurélien Faure", ("Manon Giraud", "Sofiane Belkacem"), {
        "title": "Codeuses d'hier et d'aujourd'hui : des portraits interactifs en SNT",
        "summary": "Des binômes de seconde réalisent des pages web interactives sur des pionnières de l'informatique et sur des "
        "professionnelles d'aujourd'hui rencontrées en visioconférence.",
        "objectives": "Déconstruire les stéréotypes sur les métiers du numérique ; pratiquer HTML, CSS et JavaScript ; "
        "encourager les filles à choisir la spécialité NSI.",
        "problem": "Comment donner aux filles des modèles auxquels s'identifier pour qu'elles se projettent dans la spécialité NSI ?",
        "digital_tools": "Capytale (HTML, CSS, JavaScript), Éléa, visioconférence",
        "ai_usage": NO_AI,
        "levels": ["lycee-gt"], "commons": ["capytale", "elea"], "crcn": ["3.2", "2.1"],
    }, theme=2, opinion=(FAVOURABLE, "Projet fort sur une priorité académique."), priority=1,
        note="Projet fortement soutenu par l'inspection : il s'inscrit dans le plan académique pour l'égalité filles-garçons."),
    Plan("toulouse", "nsi", SENT, "Audrey Castan", ("Bastien Rouquette", "Fanny Mazières"), {
        "title": "Mentorat entre lycéennes de NSI et collégiennes de 3e",
        "summary": "Des lycéennes de spécialité NSI accompagnent des collégiennes de 3e dans des ateliers de robotique et de "
        "programmation, en présence et à distance.",
        "objectives": "Augmenter la part de filles en spécialité NSI ; développer l'engagement et la confiance des mentores.",
        "problem": "Le mentorat entre pairs peut-il lever l'autocensure des filles face à l'informatique ?",
        "digital_tools": "Vittascience (cartes micro:bit, robots), Capytale, classe virtuelle",
        "ai_usage": NO_AI,
        "levels": ["college", "lycee-gt"], "commons": ["vittascience", "capytale"], "crcn": ["2.3", "3.4"],
    }, theme=2, opinion=(FAVOURABLE, "Partenariat collège-lycée solide ; le transfert à d'autres établissements est à préciser."),
        priority=2),
    Plan("montpellier", "nsi", SENT, "Marine Arnal", ("Thomas Sabatier", "Inès Fontaine"), {
        "title": "Biais de genre dans les algorithmes : une enquête en terminale NSI",
        "summary": "Les élèves entraînent un petit modèle de classification, constatent les biais introduits par des données "
        "déséquilibrées et débattent des enjeux d'égalité.",
        "objectives": "Comprendre les bases de l'apprentissage automatique ; identifier l'origine des biais ; argumenter sur "
        "l'équité des algorithmes.",
        "problem": "Comment les algorithmes peuvent-ils reproduire des inégalités entre filles et garçons, et comment les corriger ?",
        "digital_tools": "Capytale (Python, scikit-learn), Vittascience (module d'intelligence artificielle)",
        "ai_usage": STUDENT_AI,
        "ai_tools": "Modèles d'apprentissage automatique entraînés dans Capytale ; un générateur d'images montré en classe "
        "entière par l'enseignant.",
        "ai_precautions": "Jeux de données synthétiques ou publics, aucune photo ni donnée d'élève ; aucun compte élève sur un "
        "service d'IA.",
        "levels": ["lycee-gt"], "commons": ["capytale", "vittascience"], "crcn": ["1.3", "3.4"],
    }, theme=2, opinion=(FAVOURABLE, "Croise utilement les deux enjeux de la thématique et l'IA."), priority=2),
    Plan("bordeaux", "nsi", NOT_RETAINED, "Loïc Daguerre", ("Kevin Sarthou", "Élise Bareyre"), {
        "title": "Un serveur de jeu en ligne pour apprendre la cybersécurité",
        "summary": "Les élèves administrent un serveur de jeu en ligne ouvert aux autres lycées et en assurent la sécurité.",
        "objectives": "Découvrir l'administration système et la sécurité des serveurs.",
        "problem": "Comment apprendre la cybersécurité en situation réelle ?",
        "digital_tools": "Serveur de jeu hébergé par l'équipe",
        "ai_usage": NO_AI,
        "levels": ["lycee-gt"], "crcn": ["4.1", "5.1"],
    }, opinion=(UNFAVOURABLE, "Les conditions de sécurité et d'hébergement du serveur ne sont pas réunies ; le lien avec les "
                "programmes de SNT et de NSI reste à établir.")),
    Plan("lille", "nsi", WITHDRAWN, "Julie Delattre", ("Quentin Lecomte", "Nora Benamar"), {
        "title": "Des clubs informatiques mixtes entre collège et lycée",
        "summary": "Des clubs de programmation mixtes, animés conjointement par des enseignants de collège et de lycée.",
        "objectives": "Faire découvrir l'informatique aux filles dès le collège.",
        "problem": "Un club mixte suffit-il à changer le regard des filles sur l'informatique ?",
        "digital_tools": "Vittascience, Capytale",
        "ai_usage": NO_AI,
        "levels": ["college", "lycee-gt"], "commons": ["vittascience"], "crcn": ["3.4"],
    }, theme=2, reason="L'équipe rejoint un projet académique sur l'égalité filles-garçons et retire sa candidature."),
    # Histoire-géographie — « Une fenêtre sur le monde »: four sent.
    Plan("bordeaux", "histoire-geographie", SENT, "Isabelle Duprat", ("Mathias Lagarde", "Coralie Baudry"), {
        "title": "Bordeaux, port de la Lune : un patrimoine mondial exploré en visite virtuelle",
        "summary": "Des élèves de 4e et de seconde explorent des visites immersives et des cartes anciennes pour étudier le "
        "commerce atlantique et la traite, puis réalisent un parcours patrimonial commenté.",
        "objectives": "Relier patrimoine local et histoire globale ; construire un récit historique argumenté ; publier un "
        "parcours géolocalisé.",
        "problem": "Comment la visite virtuelle d'un patrimoine proche aide-t-elle les élèves à comprendre des phénomènes "
        "historiques mondiaux ?",
        "digital_tools": "Visites à 360°, Édugéo, cartes anciennes numérisées de Gallica, outil de carte narrative",
        "ai_usage": NO_AI,
        "levels": ["college", "lycee-gt"], "commons": ["elea"], "crcn": ["1.1", "3.2"],
    }, opinion=(FAVOURABLE, "Partenariat muséal solide et production publiable."), priority=2,
        note="Partenariat avec le musée d'Aquitaine."),
    Plan("rennes", "histoire-geographie", SENT, "Yannick Le Meur", ("Soizic Gourvès", "Pierre Hamon"), {
        "title": "Deux littoraux en regard : une correspondance numérique entre la Bretagne et le Sénégal",
        "summary": "Deux classes de 5e comparent les aménagements de leurs littoraux par des échanges en visioconférence, des "
        "images satellites et une carte collaborative.",
        "objectives": "Étudier un espace lointain à partir du regard d'autres élèves ; pratiquer le croquis numérique ; "
        "développer l'expression orale.",
        "problem": "Comment le numérique fait-il entrer un territoire lointain dans la classe par le regard de ses habitants ?",
        "digital_tools": "Visioconférence, Géoportail et Édugéo, carte collaborative, Éléa",
        "ai_usage": NO_AI,
        "levels": ["college"], "commons": ["elea"], "crcn": ["2.1", "2.3"],
    }, opinion=(FAVOURABLE, "Ouverture internationale remarquable, démarche géographique rigoureuse."), priority=1,
        note="Partenariat international déjà établi."),
    Plan("strasbourg", "histoire-geographie", SENT, "Caroline Schneider", ("Luc Fischer", "Mélanie Kieffer"), {
        "title": "Le Parlement européen en classe : visite virtuelle et session simulée",
        "summary": "Des élèves de 3e et de première visitent virtuellement le Parlement européen, préparent puis jouent une "
        "session simulée sur un enjeu géopolitique à partir de documents européens authentiques.",
        "objectives": "Comprendre le fonctionnement de l'Union européenne ; analyser un corpus documentaire ; argumenter à l'oral.",
        "problem": "Comment l'immersion virtuelle dans une institution aide-t-elle à comprendre la construction européenne et ses débats ?",
        "digital_tools": "Visite virtuelle du Parlement européen, Éléa, vote en ligne, tableau collaboratif",
        "ai_usage": TEACHER_AI,
        "ai_tools": "IA générative pour préparer des fiches de rôle de députés fictifs.",
        "ai_precautions": "Fiches relues par l'enseignant ; aucune donnée d'élève n'est saisie.",
        "levels": ["college", "lycee-gt"], "commons": ["elea"], "crcn": ["1.1", "2.3"],
    }, opinion=(FAVOURABLE, "Projet ambitieux, bien ancré dans les programmes d'EMC et d'histoire."), priority=1),
    Plan("normandie", "histoire-geographie", SENT, "Thomas Lebrun", ("Estelle Vautier", "Jérémie Duval"), {
        "title": "Sur les plages du Débarquement : archives, cartes et témoignages numériques",
        "summary": "Des élèves de 3e et de lycée professionnel croisent archives numérisées, photographies aériennes et "
        "témoignages filmés pour réaliser une carte narrative du 6 juin 1944.",
        "objectives": "Exercer un regard critique sur les sources numériques ; spatialiser un événement ; transmettre la mémoire "
        "par une production publiée.",
        "problem": "Comment des archives et des cartes numériques permettent-elles de relier un lieu, un événement et sa mémoire ?",
        "digital_tools": "Archives départementales en ligne, photographies aériennes de l'IGN, carte narrative, Éléa",
        "ai_usage": NO_AI,
        "levels": ["college", "lycee-pro"], "commons": ["elea"], "crcn": ["1.1", "3.2"],
    }, opinion=(FAVOURABLE, "Associe utilement collège et voie professionnelle."), priority=1,
        note="Projet mené avec les archives départementales du Calvados."),
    Plan("grenoble", "histoire-geographie", NOT_RETAINED, "Marie Blanchard", ("Alexis Jacquier", "Sonia Brunel"), {
        "title": "Les Alpes en 3D : un jeu sérieux de géographie",
        "summary": "Concevoir un jeu sérieux en 3D sur les aménagements des vallées alpines.",
        "objectives": "Comprendre les dynamiques des territoires de montagne.",
        "problem": "Un jeu sérieux peut-il faire comprendre un territoire de montagne ?",
        "digital_tools": "Moteur de jeu 3D",
        "ai_usage": NO_AI,
        "levels": ["college"], "crcn": ["3.4"],
    }, opinion=(RESERVED, "Le développement du jeu dépasse ce que l'équipe peut mener dans le calendrier ; la place des "
                "compétences disciplinaires doit être précisée.")),
    # Lettres — « L'intelligence artificielle en lettres »: three sent.
    Plan("lyon", "lettres", SENT, "Agathe Dumas", ("Rémi Chapuis", "Laetitia Joly"), {
        "title": "Écrire avec et contre l'IA : réécrire des fables au collège",
        "summary": "Des élèves de 5e comparent des fables produites par une IA générative à celles de La Fontaine, repèrent "
        "leurs faiblesses et réécrivent en justifiant leurs choix.",
        "objectives": "Développer un regard critique sur les textes générés ; travailler la réécriture et l'argumentation ; "
        "enrichir le lexique.",
        "problem": "Dans quelle mesure confronter les élèves à des textes générés par une IA les aide-t-il à mieux écrire ?",
        "digital_tools": "Assistant d'IA générative institutionnel, traitement de texte de l'ENT, Éléa",
        "ai_usage": STUDENT_AI,
        "ai_tools": "Agent conversationnel institutionnel utilisé en classe entière depuis le poste de l'enseignant ; les "
        "productions sont projetées et analysées collectivement.",
        "ai_precautions": "Aucun compte élève ; aucune donnée personnelle ni production nominative saisie dans l'outil ; "
        "information des familles.",
        "levels": ["college"], "commons": ["elea"], "crcn": ["3.1", "1.1"],
    }, opinion=(FAVOURABLE, "Usage de l'IA maîtrisé et réflexif, au service de l'écriture."), priority=3),
    Plan("nantes", "lettres", SENT, "Armelle Tessier", ("Hugo Baron", "Clémence Rivière"), {
        "title": "L'IA, partenaire d'entraînement à l'oral de l'EAF",
        "summary": "Des élèves de première s'entraînent à l'explication de texte et à l'entretien avec un agent conversationnel "
        "paramétré, puis analysent ses retours avec l'enseignant.",
        "objectives": "Multiplier les occasions d'entraînement à l'oral ; apprendre à évaluer la pertinence d'une rétroaction "
        "automatique.",
        "problem": "Un agent conversationnel peut-il aider les élèves à progresser à l'oral, et à quelles conditions ?",
        "digital_tools": "Agent conversationnel paramétré, synthèse et reconnaissance vocales, Éléa",
        "ai_usage": STUDENT_AI,
        "ai_tools": "Agent conversationnel souverain paramétré par l'équipe, accessible depuis l'ENT.",
        "ai_precautions": "Comptes anonymes, enregistrements vocaux non conservés, analyse d'impact réalisée avec le délégué "
        "à la protection des données.",
        "levels": ["lycee-gt"], "commons": ["elea"], "crcn": ["2.1", "4.2"],
    }, opinion=(FAVOURABLE, "Cadre de protection des données exemplaire."), priority=2,
        note="Vigilance RGPD traitée en amont avec le DPD académique."),
    Plan("creteil", "lettres", SENT, "Karima Haddou", ("Olivier Marchand", "Jeanne Lemoine"), {
        "title": "Traduire le latin avec l'IA : comparer, corriger, comprendre",
        "summary": "En latin, des élèves de 4e et de seconde comparent les traductions d'une IA aux leurs sur des textes d'Ovide "
        "et de César, et relèvent les contresens.",
        "objectives": "Renforcer l'analyse grammaticale ; comprendre les limites de la traduction automatique ; développer "
        "l'esprit critique.",
        "problem": "Comment la traduction automatique peut-elle devenir un objet d'étude qui renforce la compréhension du latin ?",
        "digital_tools": "Traduction automatique, Éléa, corpus numériques de textes latins",
        "ai_usage": STUDENT_AI,
        "ai_tools": "Traducteurs automatiques et assistant conversationnel utilisés en binôme sur des textes du programme.",
        "ai_precautions": "Aucune donnée personnelle saisie ; usage depuis les postes de l'établissement, sans compte élève.",
        "levels": ["college", "lycee-gt"], "commons": ["elea"], "crcn": ["1.1", "3.1"],
    }, opinion=(FAVOURABLE, "Projet rare en LCA, très transférable."), priority=1),
    Plan("strasbourg", "lettres", NOT_RETAINED, "Anne Ruhlmann", ("Paul Stoltz", "Léa Zimmermann"), {
        "title": "Un agent conversationnel personnage de roman pour la lecture cursive",
        "summary": "Les élèves dialoguent avec un personnage de roman simulé par une IA.",
        "objectives": "Motiver la lecture cursive.",
        "problem": "Dialoguer avec un personnage aide-t-il à entrer dans une œuvre ?",
        "digital_tools": "Service d'IA grand public",
        "ai_usage": STUDENT_AI,
        "ai_tools": "Service d'IA générative grand public, un compte par élève.",
        "ai_precautions": "Charte d'usage signée par les élèves.",
        "levels": ["college"], "crcn": ["2.1"],
    }, opinion=(RESERVED, "L'outil envisagé impose de créer des comptes élèves sur un service non conforme au RGPD ; "
                "le projet est à retravailler avec la DRANE.")),
    Plan("lille", "lettres", WITHDRAWN_DRAFT, "Valentin Caron", ("Anaïs Leroy",), {
        "title": "Résumer avec l'IA en seconde",
        "summary": "Apprendre à résumer en comparant ses résumés à ceux d'une IA.",
        "ai_usage": STUDENT_AI, "levels": ["lycee-gt"],
    }, reason="Projet reporté à l'an prochain."),
    # SVT Année 1 — « Numérique et approche Une seule santé »: two sent.
    Plan("montpellier", "svt-annee-1", SENT, "Cécile Bru", ("Nicolas Alary", "Sarah Guiraud"), {
        "title": "Moustique tigre et santé : capteurs et base de données participative",
        "summary": "Des élèves de 5e et de seconde suivent la présence du moustique tigre autour de leur établissement avec des "
        "pièges connectés et alimentent une base de données partagée, avec l'agence régionale de santé.",
        "objectives": "Relier santé humaine, animale et environnementale ; collecter et traiter des données ; construire une "
        "démarche de prévention.",
        "problem": "Comment des données collectées par les élèves éclairent-elles un enjeu de santé publique lié à l'environnement ?",
        "digital_tools": "Capteurs et cartes programmables, tableur, système d'information géographique en ligne",
        "ai_usage": NO_AI,
        "levels": ["college", "lycee-gt"], "commons": ["vittascience"], "crcn": ["1.2", "1.3"],
    }, opinion=(FAVOURABLE, "Illustration exemplaire de l'approche « Une seule santé »."), priority=1,
        note="Partenariat avec l'ARS Occitanie."),
    Plan("clermont-ferrand", "svt-annee-1", SENT, "Jean-Marc Peyronnet", ("Aline Fayolle", "Théo Chanal"), {
        "title": "Diagnostiquer avec l'IA ? Imagerie médicale et vétérinaire au lycée",
        "summary": "Des élèves de terminale entraînent un modèle de reconnaissance d'images (lésions cutanées, radiographies "
        "animales) et discutent de sa fiabilité.",
        "objectives": "Comprendre le principe d'un diagnostic assisté ; évaluer la fiabilité d'un modèle ; débattre des enjeux "
        "éthiques.",
        "problem": "Quelle place donner à l'intelligence artificielle dans le diagnostic en santé humaine et animale ?",
        "digital_tools": "Vittascience (apprentissage automatique dans le navigateur), banques d'images médicales libres",
        "ai_usage": STUDENT_AI,
        "ai_tools": "Modèle de classification d'images entraîné dans le navigateur avec Vittascience.",
        "ai_precautions": "Images issues de banques publiques anonymisées ; aucune image d'élève ; traitement local dans le navigateur.",
        "levels": ["lycee-gt"], "commons": ["vittascience"], "crcn": ["1.3", "4.3"],
    }, opinion=(FAVOURABLE, "Projet exigeant et bien encadré sur le plan éthique."), priority=1,
        note="Projet mené avec un lycée agricole pour le volet de santé animale."),
    Plan("normandie", "svt-annee-1", WITHDRAWN, "Émeline Gosselin", ("Baptiste Leclerc", "Ophélie Guérard"), {
        "title": "Qualité de l'air et asthme : une station de mesure au collège",
        "summary": "Une station de mesure de la qualité de l'air construite par les élèves et reliée aux données de santé publique.",
        "objectives": "Relier qualité de l'air et santé respiratoire.",
        "problem": "Comment mesurer soi-même un facteur environnemental de santé ?",
        "digital_tools": "Capteurs, Vittascience",
        "ai_usage": NO_AI,
        "levels": ["college"], "commons": ["vittascience"], "crcn": ["1.2"],
    }, reason="Le financement des capteurs n'a pas pu être obtenu cette année."),
]

# The open demo call: what a visitor finds in Mathématiques (demo users edit these live) …
OPEN_CALL_MATHS = [
    Plan("grenoble", "mathematiques", DRAFT, DEMO_TEACHERS["grenoble"], GRENOBLE_COLLEAGUES[:1], MATHS[0]),
    Plan("grenoble", "mathematiques", SUBMITTED, DEMO_TEACHERS["grenoble"], GRENOBLE_COLLEAGUES, MATHS[1]),
    Plan("lyon", "mathematiques", RETURNED, DEMO_TEACHERS["lyon"], LYON_COLLEAGUES, MATHS[2],
         reason="Précisez les niveaux de classe concernés et le calendrier des séances."),
    Plan("lyon", "mathematiques", RETAINED, DEMO_TEACHERS["lyon"], LYON_COLLEAGUES, MATHS[0], opinion=(FAVOURABLE, "")),
]

# … and in NSI and Lettres, carried by background teams.
OPEN_CALL_OTHERS = [
    Plan("grenoble", "nsi", RETAINED, "Romane Collomb", ("Adrien Berthier", "Jade Michallet"), {
        "title": "Sécuriser ses comptes : un jeu d'évasion sur les mots de passe en SNT",
        "summary": "Un jeu d'évasion hybride, sur Éléa et avec des énigmes débranchées, où les élèves de seconde éprouvent des "
        "mots de passe faibles sur des comptes fictifs et découvrent l'authentification à deux facteurs.",
        "objectives": "Comprendre ce qui fait la robustesse d'un mot de passe ; adopter un gestionnaire de mots de passe et la "
        "double authentification.",
        "problem": "Comment amener les élèves à changer durablement leurs pratiques de sécurité sur les réseaux sociaux ?",
        "digital_tools": "Éléa, Capytale (Python), cartes d'énigmes imprimées",
        "ai_usage": NO_AI,
        "levels": ["lycee-gt"], "commons": ["elea", "capytale"], "crcn": ["4.1", "4.2"],
    }, opinion=(FAVOURABLE, "Dispositif ludique et directement réutilisable dans tous les lycées.")),
    Plan("grenoble", "lettres", SUBMITTED, "Nathalie Gauthier", ("Sébastien Rolland", "Pauline Vial"), {
        "title": "Lire et écrire avec l'IA en lycée professionnel",
        "summary": "Des élèves de CAP et de baccalauréat professionnel utilisent une IA générative pour planifier des écrits "
        "argumentatifs, puis révisent leurs textes et justifient leurs choix.",
        "objectives": "Lever le blocage devant la page blanche ; développer la révision et l'esprit critique face aux textes générés.",
        "problem": "À quelles conditions une IA générative aide-t-elle des élèves fragiles à l'écrit à progresser plutôt qu'à déléguer ?",
        "digital_tools": "Assistant d'IA générative institutionnel, traitement de texte de l'ENT",
        "ai_usage": STUDENT_AI,
        "ai_tools": "Assistant d'IA générative institutionnel, utilisé en binôme et en présence de l'enseignant.",
        "ai_precautions": "Aucune donnée personnelle saisie ; comptes anonymes fournis par l'établissement.",
        "levels": ["lycee-pro"], "crcn": ["3.1", "1.1"],
    }),
    Plan("lyon", "nsi", NOT_RETAINED, "Mélissa Pereira", ("Jordan Blanc", "Océane Marchetti"), {
        "title": "Un hackathon mixte entre lycées",
        "summary": "Un hackathon d'une journée réunissant des équipes mixtes de plusieurs lycées.",
        "objectives": "Valoriser les filles dans un événement informatique.",
        "problem": "Un événement ponctuel peut-il changer le regard des filles sur l'informatique ?",
        "digital_tools": "Capytale",
        "ai_usage": NO_AI,
        "levels": ["lycee-gt"], "commons": ["capytale"], "crcn": ["2.3"],
    }, theme=2, opinion=(RESERVED, "Événement ponctuel : les séquences en classe et leur transférabilité doivent être décrites.")),
    Plan("lyon", "lettres", SUBMITTED, "Delphine Carrel", ("Matthieu Rivoire", "Zoé Lacroix"), {
        "title": "Poésie et IA : générer, comparer, créer en 3e",
        "summary": "Les élèves comparent des poèmes générés par une IA à des poèmes du programme, puis composent leurs propres "
        "textes en expliquant ce que l'IA ne sait pas faire.",
        "objectives": "Approfondir l'étude des formes poétiques ; développer un regard critique sur la création automatique.",
        "problem": "Qu'est-ce qu'un poème réussi, et une IA peut-elle en écrire un ?",
        "digital_tools": "Assistant d'IA générative institutionnel en classe entière, Éléa",
        "ai_usage": STUDENT_AI,
        "ai_tools": "Assistant d'IA générative utilisé en classe entière depuis le poste de l'enseignant.",
        "ai_precautions": "Aucun compte élève ; aucune production nominative saisie dans l'outil.",
        "levels": ["college"], "commons": ["elea"], "crcn": ["3.1"],
    }, opinion=(FAVOURABLE, "Projet clair, bien centré sur les compétences de lecture et d'écriture.")),
]


# --- People ---------------------------------------------------------------------


def split_name(name):
    first_name, last_name = name.split(" ", 1)
    return first_name, last_name


def _ascii_slug(text):
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(plain.lower().replace("'", " ").split())


def address(name, academy_code):
    """prenom.nom@ac-<academy>.example: a reserved domain, so no mail reaches anyone."""
    first_name, last_name = split_name(name)
    return f"{_ascii_slug(first_name)}.{_ascii_slug(last_name)}@ac-{academy_code}.example"


def uai(academy_code, number):
    """A school code of the academy: one of its departments, four digits, and the
    check letter computed as the validator does."""
    departments = ACADEMIES[academy_code].departments
    digits = f"{departments[number % len(departments)]}{(number * 389 + 17) % 10000:04d}"
    return digits + uai_check_letter(digits)


class Cast:
    """Who plays which part: the demo accounts where the contract names them,
    background accounts (no usable password) for everyone else, created on first need."""

    def __init__(self, users):
        self.users = users
        self.accounts = {}

    @cached_property
    def academies(self):
        return {academy.code: academy for academy in Academy.objects.all()}

    @cached_property
    def disciplines(self):
        return {discipline.code: discipline for discipline in Discipline.objects.all()}

    def background(self, name, academy_code, role, discipline_code=None):
        email = address(name, academy_code)
        key = (email, role, discipline_code)
        if key not in self.accounts:
            user = User.objects.filter(email=email).first()
            if user is None:
                first_name, last_name = split_name(name)
                user = User(email=email, first_name=first_name, last_name=last_name)
                user.set_unusable_password()
                user.save()
            assignment, _created = RoleAssignment.objects.get_or_create(user=user, role=role, academy=self.academies[academy_code], region=None)
            if discipline_code:
                assignment.disciplines.add(self.disciplines[discipline_code])
            self.accounts[key] = user
        return self.accounts[key]

    def lead(self, plan):
        if plan.lead in self.users:
            return self.users[plan.lead]
        return self.background(plan.lead, plan.academy, Role.TEACHER)

    def inspector(self, academy_code, discipline_code):
        demo = DEMO_INSPECTORS.get((academy_code, discipline_code))
        if demo:
            return self.users[demo]
        return self.background(INSPECTORS[(academy_code, discipline_code)], academy_code, Role.INSPECTOR, discipline_code)

    def dan(self, academy_code):
        if academy_code in DEMO_DANS:
            return self.users[DEMO_DANS[academy_code]]
        return self.background(ACADEMIES[academy_code].dan, academy_code, Role.DAN)

    def cardie(self, academy_code):
        if academy_code in DEMO_CARDIES:
            return self.users[DEMO_CARDIES[academy_code]]
        return self.background(ACADEMIES[academy_code].cardie, academy_code, Role.CARDIE)


def member(person, academy_code, role, school):
    if isinstance(person, str):
        first_name, last_name = split_name(person)
        email = address(person, academy_code)
    else:
        first_name, last_name, email = person.first_name, person.last_name, person.email
    return {"first_name": first_name, "last_name": last_name, "email": email, "role": role, "uai": school}


def team(plan, cast, lead, number):
    """Three teachers (the lead, a colleague, the referent), the CARDIE
    representative and the piloting inspector, each with a school of the
    academy; a draft may still have only the lead and one colleague."""
    academy = plan.academy
    members = [
        member(lead, academy, TeamRole.TEACHER, uai(academy, 3 * number)),
        member(plan.colleagues[0], academy, TeamRole.TEACHER, uai(academy, 3 * number + 1)),
    ]
    if len(plan.colleagues) > 1:
        members += [
            member(plan.colleagues[1], academy, TeamRole.REFERENT, uai(academy, 3 * number + 2)),
            member(cast.cardie(academy), academy, TeamRole.CARDIE, uai(academy, 9001)),
            member(cast.inspector(academy, plan.discipline), academy, TeamRole.INSPECTOR, uai(academy, 9000)),
        ]
    return members


# --- Playing a proposal through the services -----------------------------------------


class References:
    """Ids of the class levels, commons and CRCN competences, by code (loaded once)."""

    @cached_property
    def levels(self):
        return dict(ClassLevel.objects.values_list("code", "pk"))

    @cached_property
    def commons(self):
        return dict(DigitalCommon.objects.values_list("code", "pk"))

    @cached_property
    def crcn(self):
        return dict(CrcnCompetence.objects.values_list("code", "pk"))

    def draft_data(self, content):
        data = {key: value for key, value in content.items() if key not in {"levels", "commons", "crcn"}}
        data["class_levels"] = [self.levels[code] for code in content.get("levels", [])]
        data["commons"] = [self.commons[code] for code in content.get("commons", [])]
        data["crcn_competences"] = [self.crcn[code] for code in content.get("crcn", [])]
        return data


def schedule(number):
    """When the steps of the past call's proposal number ``number`` happened:
    all inside the window, decisions before mid-March, syntheses after."""
    created = PAST_WINDOW + datetime.timedelta(days=number, hours=number % 5)
    submitted = created + datetime.timedelta(days=15, hours=2)
    opinion = submitted + datetime.timedelta(days=10, hours=1)
    return {
        "created": created,
        "draft": created + datetime.timedelta(days=2),
        "team": created + datetime.timedelta(days=4),
        "submitted": submitted,
        "withdrawn": submitted + datetime.timedelta(days=9),
        "withdrawn_draft": created + datetime.timedelta(days=20),
        "returned": submitted + datetime.timedelta(days=5),
        "opinion": opinion,
        "decided": opinion + datetime.timedelta(days=3),
    }


def play(plan, theme, cast, refs, number, when=None):
    """Walk one proposal through the services to its planned state (SENT stops
    at RETAINED: the synthesis does the rest). With ``when`` (a past call), the
    deadline checks use its moments; returns the proposal and its audited
    steps in order, as (step, moment)."""
    moments = []

    def step(name):
        moment = when[name] if when else None
        moments.append((name, moment))
        return moment

    lead = cast.lead(plan)
    proposal = services.start_proposal(theme, acting_user=lead, now=step("created"))
    step("draft")
    services.save_draft(proposal, refs.draft_data(plan.content), acting_user=lead, expected_version=proposal.version)
    step("team")
    services.replace_team(proposal, team(plan, cast, lead, number), acting_user=lead, expected_version=proposal.version)
    if plan.outcome == DRAFT:
        return proposal, moments
    if plan.outcome == WITHDRAWN_DRAFT:
        step("withdrawn_draft")
        services.withdraw(proposal, acting_user=lead, reason=plan.reason)
        return proposal, moments
    services.submit(proposal, acting_user=lead, now=step("submitted"))
    if plan.outcome == WITHDRAWN:
        step("withdrawn")
        services.withdraw(proposal, acting_user=lead, reason=plan.reason)
        return proposal, moments
    inspector = cast.inspector(plan.academy, plan.discipline)
    if plan.outcome == RETURNED:
        step("returned")
        services.return_for_completion(proposal, acting_user=inspector, reason=plan.reason)
        return proposal, moments
    if plan.opinion:
        step("opinion")
        opinion, comment = plan.opinion
        services.give_opinion(proposal, acting_user=inspector, opinion=opinion, comment=comment)
    if plan.outcome == SUBMITTED:
        return proposal, moments
    step("decided")
    services.decide(proposal, acting_user=inspector, retained=plan.outcome in (RETAINED, SENT))
    return proposal, moments


@dataclass
class Chronicle:
    """The past call's real dates. The services stamp some steps with the real
    clock (opinions, decisions, the audit trail): each object's audited steps are
    collected here, as (step, moment) in order, and their dates written once
    everything is seeded."""

    proposals: dict = field(default_factory=lambda: defaultdict(list))
    syntheses: dict = field(default_factory=lambda: defaultdict(list))

    def write(self):
        entries = []
        for model, steps_by_pk in ((Proposal, self.proposals), (AcademicSynthesis, self.syntheses)):
            trail = defaultdict(list)
            content_type = ContentType.objects.get_for_model(model)
            for entry in AuditEntry.objects.filter(content_type=content_type, object_id__in=[str(pk) for pk in steps_by_pk]).order_by("id"):
                trail[int(entry.object_id)].append(entry)
            for pk, steps in steps_by_pk.items():
                # One audit entry per service call: a mismatch is a bug in this module.
                for entry, (_step, moment) in zip(trail[pk], steps, strict=True):
                    entry.created_at = moment
                    entries.append(entry)
        AuditEntry.objects.bulk_update(entries, ["created_at"], batch_size=500)

        proposals = list(Proposal.objects.filter(pk__in=self.proposals))
        for proposal in proposals:
            steps = self.proposals[proposal.pk]
            moments = dict(steps)
            proposal.created_at, proposal.updated_at = steps[0][1], steps[-1][1]
            proposal.opinion_at = moments.get("opinion") if proposal.opinion_at else None
            proposal.decided_at = moments.get("decided") if proposal.decided_at else None
        Proposal.objects.bulk_update(proposals, ["created_at", "updated_at", "opinion_at", "decided_at"], batch_size=500)
        syntheses = list(AcademicSynthesis.objects.filter(pk__in=self.syntheses))
        for synthesis in syntheses:
            steps = self.syntheses[synthesis.pk]
            synthesis.created_at, synthesis.updated_at = steps[0][1], steps[-1][1]
        AcademicSynthesis.objects.bulk_update(syntheses, ["created_at", "updated_at"])


# --- Seeding ----------------------------------------------------------------------


def seed_past_call(cast, refs):
    """2026-2027: every academy's planned proposals, then its synthesis, composed
    and sent by its DAN before the deadline. An academy whose synthesis is already
    sent is complete; any other gets the proposals it does not have yet."""
    call = Call.objects.get(year=PAST_CALL_YEAR)
    complete = set(AcademicSynthesis.objects.filter(call=call, sent_at__isnull=False).values_list("academy__code", flat=True))
    existing = set(Proposal.objects.filter(theme__entry__call=call).values_list("academy__code", "title"))
    pending = [
        (number, plan) for number, plan in enumerate(PAST_CALL)
        if plan.academy not in complete and (plan.academy, plan.content["title"]) not in existing
    ]
    if not pending:
        return
    themes = {(theme.entry.code, theme.order): theme for theme in Theme.objects.filter(entry__call=call).select_related("entry")}
    chronicle = Chronicle()
    retained = defaultdict(list)
    for number, plan in pending:
        proposal, moments = play(plan, themes[(plan.entry, plan.theme)], cast, refs, number, when=schedule(number))
        chronicle.proposals[proposal.pk] = moments
        if plan.outcome == SENT:
            retained[plan.academy].append((plan.priority, proposal, plan.note))

    for academy_code, planned in retained.items():
        details = ACADEMIES[academy_code]
        dan = cast.dan(academy_code)
        composed_at = details.sent_at - datetime.timedelta(hours=3)
        # Priorities 1..n in the planned order (only the proposals created in this run, on an upgraded database).
        ranked = sorted(planned, key=lambda item: item[0])
        items = [(proposal, priority, note) for priority, (_planned, proposal, note) in enumerate(ranked, start=1)]
        synthesis = services.compose_synthesis(
            call, cast.academies[academy_code], acting_user=dan, cover_note=details.cover_note, items=items, now=composed_at,
        )
        services.send_synthesis(synthesis, acting_user=dan, now=details.sent_at)
        chronicle.syntheses[synthesis.pk] = [("composed", composed_at), ("sent", details.sent_at)]
        for proposal, _priority, _note in items:
            chronicle.proposals[proposal.pk].append(("sent", details.sent_at))
    chronicle.write()


def seed_open_call(cast, refs):
    """The open demo call, on the real clock (its dates are stretched around
    today). No synthesis: composing one is what the DANs try live."""
    call = Call.objects.get(year=DEMO_CALL_YEAR)
    themes = {(theme.entry.code, theme.order): theme for theme in Theme.objects.filter(entry__call=call).select_related("entry")}
    # Demo users edit these live (the draft, the returned one): created once.
    if not Proposal.objects.filter(
        theme__entry__call=call, theme__entry__code="mathematiques", lead__email__endswith="@demo.traam.example"
    ).exists():
        for number, plan in enumerate(OPEN_CALL_MATHS):
            play(plan, themes[(plan.entry, plan.theme)], cast, refs, number)
    existing = set(Proposal.objects.filter(theme__entry__call=call).values_list("academy__code", "title"))
    for number, plan in enumerate(OPEN_CALL_OTHERS, start=len(OPEN_CALL_MATHS)):
        if (plan.academy, plan.content["title"]) not in existing:
            play(plan, themes[(plan.entry, plan.theme)], cast, refs, number)


def seed(users):
    """Idempotent: creates only the proposals (and syntheses) that are missing."""
    cast, refs = Cast(users), References()
    seed_past_call(cast, refs)
    seed_open_call(cast, refs)
