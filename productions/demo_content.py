"""The demo's scenarios (*séquences pédagogiques*), by working group (the
selected proposal's title): realistic French content for ``productions.demo``.

Each scenario says where it ends (``state``), its Édubase record when it is
published, and the inspector's comment when it was returned. Class levels,
CRCN competences and commons are codes of the reference data."""

from candidatures.enums import AIUsage

from .enums import Licence, ScenarioState

NO_AI, TEACHER_AI, STUDENT_AI = AIUsage.NONE, AIUsage.TEACHER_PRACTICE, AIUsage.STUDENT_LEARNING
DRAFT, TESTED, SUBMITTED = ScenarioState.DRAFT, ScenarioState.TESTED, ScenarioState.SUBMITTED
RETURNED, VALIDATED, PUBLISHED = ScenarioState.RETURNED, ScenarioState.VALIDATED, ScenarioState.PUBLISHED

NO_DATA = "Aucune donnée personnelle d'élève n'est saisie dans l'outil ; usage sur le poste de l'enseignant, compte professionnel."
STUDENT_DATA = (
    "Outil choisi avec le DPO académique ; comptes anonymes créés par l'enseignant, aucune donnée personnelle saisie, "
    "information des familles et charte d'usage signée en classe."
)


def scenario(title, state, summary, problem, competences, tools, levels, crcn, commons=(), ai=(NO_AI, "", ""), sessions=4, minutes=55,
             screen=True, licence=Licence.CC_BY_SA_4, edubase=None, comment=""):
    return {
        "title": title, "state": state, "edubase": edubase, "comment": comment,
        "content": {
            "title": title, "summary": summary, "problem": problem, "disciplinary_competences": competences, "digital_tools": tools,
            "ai_usage": ai[0], "ai_tools": ai[1], "ai_precautions": ai[2], "sessions": sessions, "session_minutes": minutes,
            "with_screen": screen, "licence": licence,
        },
        "levels": list(levels), "crcn": list(crcn), "commons": list(commons),
    }


SCENARIOS = {
    # --- Mathématiques ---------------------------------------------------------------
    "Parcours différenciés en calcul mental avec MathALÉA": [
        scenario(
            "Fractions en 6e : trois parcours d'automatismes MathALÉA", PUBLISHED,
            "Après un diagnostic de cinq minutes, chaque élève suit l'un des trois parcours MathALÉA (consolider, "
            "entraîner, approfondir) sur les fractions ; une synthèse collective clôt chaque séance.",
            "Comment faire progresser chaque élève en calcul sur les fractions sans multiplier les supports ?",
            "Calculer avec des fractions simples ; comprendre et utiliser la notion de fraction ; raisonner, calculer.",
            "MathALÉA (feuilles paramétrées et QR codes), ENT pour la diffusion des parcours", ["college"], ["1.3", "5.2"],
            ["mathalea"], sessions=5, edubase=31204,
        ),
        scenario(
            "Rituels de calcul mental flash en 5e", SUBMITTED,
            "Des rituels de dix minutes en début d'heure, projetés au tableau puis repris en autonomie ; les élèves suivent "
            "leurs progrès sur une fiche de suivi.",
            "Comment installer des automatismes durables par des rituels courts et réguliers ?",
            "Calculer mentalement ; mobiliser les propriétés des opérations ; contrôler la vraisemblance d'un résultat.",
            "MathALÉA (diaporamas de course aux nombres), tableur pour la fiche de suivi", ["college"], ["1.3"], ["mathalea"],
            sessions=12, minutes=10,
        ),
        scenario(
            "Proportionnalité : des défis différenciés en îlots", TESTED,
            "Des défis de proportionnalité à trois niveaux, travaillés en îlots avec des aides numériques à la demande.",
            "Comment différencier la résolution de problèmes de proportionnalité en classe entière ?",
            "Reconnaître une situation de proportionnalité ; utiliser un coefficient, un tableau, le produit en croix.",
            "MathALÉA, Capytale (activités GeoGebra)", ["college"], ["1.3", "2.3"], ["mathalea", "capytale"], sessions=3,
        ),
        scenario(
            "Calcul littéral : l'IA pour générer des exercices gradués", DRAFT,
            "L'enseignant génère avec un assistant conversationnel des séries d'exercices gradués, vérifiées puis mises en "
            "forme dans MathALÉA.",
            "Un assistant d'IA fait-il gagner du temps de préparation sans nuire à la qualité des exercices ?",
            "Développer, factoriser, réduire une expression littérale.",
            "MathALÉA, assistant conversationnel", ["college"], ["1.3", "3.1"], ["mathalea"],
            ai=(TEACHER_AI, "Assistant conversationnel utilisé par l'enseignant pour proposer des énoncés", NO_DATA), sessions=2,
        ),
    ],
    "Des exerciseurs Éléa pour la remédiation en seconde": [
        scenario(
            "Diagnostic de rentrée et remédiation ciblée en seconde", PUBLISHED,
            "Un test de positionnement Éléa en début de seconde oriente chaque élève vers des modules de remédiation avec "
            "rétroaction immédiate ; l'enseignant suit les résultats par compétence.",
            "Comment repérer vite les besoins des élèves de seconde et y répondre en autonomie ?",
            "Calcul numérique et algébrique ; fonctions de référence ; utiliser un langage mathématique adapté.",
            "Éléa (parcours Moodle, tests à rétroaction), tableur", ["lycee-gt"], ["1.3", "5.2"], ["elea"],
            ai=(TEACHER_AI, "Génération d'items de tests relus par l'enseignant", NO_DATA), sessions=6, edubase=31219,
        ),
        scenario(
            "Équations de droites : un exerciseur Éléa à indices gradués", RETURNED,
            "Des exercices à indices successifs sur les équations de droites, avec correction commentée.",
            "Comment aider les élèves à chercher avant de regarder la correction ?",
            "Déterminer une équation de droite ; interpréter graphiquement le coefficient directeur.",
            "Éléa, GeoGebra", ["lycee-gt"], ["1.3"], ["elea"], sessions=3,
            comment="Précisez la place de l'enseignant pendant les séances en autonomie et ajoutez la fiche élève ; "
            "la progression des indices gagnerait à être illustrée par un exemple.",
        ),
        scenario(
            "Statistiques : analyser ses propres résultats de remédiation", VALIDATED,
            "Les élèves analysent, de façon anonymisée, les résultats de la classe aux tests de remédiation pour travailler "
            "moyenne, médiane et dispersion.",
            "Comment donner du sens aux indicateurs statistiques à partir de données de la classe ?",
            "Calculer et interpréter des indicateurs de position et de dispersion.",
            "Éléa, tableur, Capytale (carnet Python)", ["lycee-gt"], ["1.2", "1.3", "4.2"], ["elea", "capytale"], sessions=3,
        ),
    ],
    "Résolution de problèmes : des coups de pouce numériques gradués": [
        scenario(
            "Problèmes ouverts en 4e : trois niveaux de coups de pouce", PUBLISHED,
            "Pendant la recherche d'un problème ouvert, les élèves disposent de coups de pouce numériques gradués (indice, "
            "exemple, vidéo) qu'ils consultent à la demande ; leur usage est discuté en fin de séance.",
            "Comment différencier l'étayage sans réduire l'exigence de la tâche ?",
            "Chercher, modéliser, raisonner, communiquer ; résoudre un problème à plusieurs étapes.",
            "Éléa, capsules vidéo, GeoGebra", ["college"], ["1.1", "2.3", "3.2"], ["elea"],
            ai=(TEACHER_AI, "Premières versions d'indices générées puis reprises par l'enseignant", NO_DATA), sessions=4, edubase=31233,
        ),
        scenario(
            "Rédiger une solution de problème à plusieurs mains", TESTED,
            "Les élèves rédigent en binôme une solution dans un document partagé, puis la comparent à deux solutions-types.",
            "Comment faire progresser l'écrit de recherche en mathématiques ?",
            "Communiquer, raisonner : rédiger une démonstration ou une solution argumentée.",
            "Éléa, traitement de texte collaboratif de l'ENT", ["college"], ["2.3", "3.1"], ["elea"], sessions=2,
        ),
    ],
    "Géométrie dans l'espace : différencier par les représentations": [
        scenario(
            "Sections de solides : manipuler, visualiser, représenter", PUBLISHED,
            "Les élèves passent de solides réels à leurs représentations dynamiques en 3D, puis en perspective cavalière, "
            "selon un parcours qui laisse à chacun le temps de manipuler.",
            "Comment aider les élèves à se représenter l'espace à partir de supports variés ?",
            "Représenter l'espace ; reconnaître et construire des sections de solides.",
            "GeoGebra 3D dans Capytale, solides en carton", ["college", "lycee-gt"], ["1.3", "3.2"], ["capytale"], sessions=4,
            licence=Licence.CC_BY_4, edubase=31247,
        ),
        scenario(
            "Patrons et volumes sans écran puis avec écran", SUBMITTED,
            "Une séance débranchée de construction de patrons, suivie d'une vérification par la géométrie dynamique.",
            "Quelle part d'écran est utile pour apprendre à calculer des volumes ?",
            "Calculer des volumes ; construire des patrons de solides usuels.",
            "Capytale (GeoGebra), papier, ciseaux", ["college"], ["1.3"], ["capytale"], sessions=3, screen=False,
        ),
    ],
    "Classe inversée et capsules différenciées pour les automatismes": [
        scenario(
            "Capsules vidéo et quiz pour les automatismes de première", PUBLISHED,
            "Des capsules de trois minutes à regarder avant la séance, un quiz d'entrée puis un travail en groupes de besoin.",
            "Comment libérer du temps de classe pour l'entraînement aux automatismes ?",
            "Automatismes de calcul ; pourcentages, évolutions, fonctions du second degré.",
            "M@gistère (formation des collègues), Éléa, capsules vidéo", ["lycee-gt"], ["1.1", "3.2", "5.2"], ["elea", "magistere"],
            sessions=6, edubase=31251,
        ),
        scenario(
            "Les élèves réalisent leurs propres capsules", DRAFT,
            "Des binômes réalisent une capsule expliquant une méthode ; les capsules sont évaluées par les pairs.",
            "Expliquer une méthode à d'autres aide-t-il à la consolider ?",
            "Communiquer ; expliquer une méthode de calcul.",
            "Enregistreur de l'ENT, Éléa", ["lycee-gt"], ["2.2", "3.2"], ["elea"], sessions=3,
        ),
    ],
    # --- NSI ---------------------------------------------------------------------------
    "Cyber-enquêteurs : comprendre et déjouer l'hameçonnage en SNT": [
        scenario(
            "Enquête sur un courriel d'hameçonnage", PUBLISHED,
            "Les élèves analysent un faux courriel (en-têtes, liens, pièce jointe) dans un environnement simulé, puis "
            "rédigent une fiche réflexe pour leurs camarades.",
            "Comment apprendre aux élèves à repérer un courriel frauduleux sans les exposer à un vrai risque ?",
            "SNT, thème Internet : protocoles, adresses, noms de domaine ; identifier les risques d'usurpation.",
            "Capytale (carnet d'analyse d'en-têtes), messagerie simulée", ["lycee-gt"], ["4.1", "4.2", "1.1"], ["capytale"],
            sessions=3, edubase=31262,
        ),
        scenario(
            "Mots de passe : mesurer la robustesse en Python", VALIDATED,
            "Les élèves programment un estimateur de robustesse de mots de passe et comparent leurs résultats à ceux d'un "
            "outil de référence.",
            "Qu'est-ce qu'un mot de passe robuste, et pourquoi ?",
            "Programmer des fonctions simples ; notions de combinatoire ; sécurité des données.",
            "Capytale (Python)", ["lycee-gt"], ["3.4", "4.1"], ["capytale"], sessions=2,
        ),
    ],
    "Ce que révèlent les métadonnées : une enquête sur la vie privée en ligne": [
        scenario(
            "Que dit une photo de moi ? Les métadonnées EXIF", PUBLISHED,
            "À partir de photos fournies par l'enseignant, les élèves extraient les métadonnées (lieu, date, appareil) et "
            "mesurent ce qu'elles révèlent.",
            "Quelles traces laissons-nous sans le savoir quand nous partageons une photo ?",
            "SNT, thème photographie numérique : métadonnées, formats ; traiter des données structurées.",
            "Capytale (Python, bibliothèque de lecture EXIF)", ["lycee-gt"], ["1.2", "4.2"], ["capytale"], sessions=2, edubase=31278,
        ),
        scenario(
            "Cartographier ses traces numériques", SUBMITTED,
            "Les élèves dressent la carte des services qu'ils utilisent et des données que chacun collecte, puis "
            "paramètrent leurs comptes.",
            "Comment reprendre la main sur ses données personnelles ?",
            "Identifier les données collectées ; connaître ses droits (RGPD).",
            "Outil de carte mentale, Vittascience", ["lycee-gt", "college"], ["4.2", "2.4"], ["vittascience"], sessions=2,
        ),
    ],
    "Capture the flag au lycée : un parcours ludique de cybersécurité": [
        scenario(
            "Premier CTF : décoder, chercher, sécuriser", DRAFT,
            "Un parcours de défis (chiffrement de César, stéganographie, injection simple) dans un environnement fermé.",
            "Le jeu peut-il motiver l'apprentissage des notions de sécurité ?",
            "Chiffrement symétrique ; représentation des données ; sécurité des applications web.",
            "Capytale, plateforme de défis hébergée par l'académie", ["lycee-gt"], ["4.1", "3.4", "5.1"], ["capytale"], sessions=4,
        ),
    ],
    "Codeuses d'hier et d'aujourd'hui : des portraits interactifs en SNT": [
        scenario(
            "Portraits interactifs de pionnières de l'informatique", PUBLISHED,
            "Chaque binôme programme le portrait interactif d'une pionnière (Ada Lovelace, Grace Hopper, Margaret Hamilton…), "
            "présenté lors d'une exposition au CDI.",
            "Comment le projet de programmation peut-il faire évoluer les représentations de l'informatique ?",
            "SNT, thème le Web : HTML, CSS, interactions ; histoire de l'informatique.",
            "Capytale (HTML/CSS/JavaScript), Vittascience", ["lycee-gt"], ["3.4", "3.2", "2.2"], ["capytale", "vittascience"],
            sessions=6, edubase=31281,
        ),
        scenario(
            "Des métiers du numérique racontés par des professionnelles", RETURNED,
            "Des interviews de professionnelles du numérique, préparées, enregistrées et montées par les élèves.",
            "Comment déconstruire les stéréotypes sur les métiers du numérique ?",
            "S'informer sur les métiers ; produire un document multimédia.",
            "Enregistreur de l'ENT, logiciel de montage", ["lycee-gt", "college"], ["3.2", "2.4"], sessions=4,
            comment="La séquence doit préciser l'accord écrit des personnes interviewées et le cadre de diffusion des enregistrements.",
        ),
    ],
    "Mentorat entre lycéennes de NSI et collégiennes de 3e": [
        scenario(
            "Ateliers de programmation en binômes lycéenne-collégienne", DRAFT,
            "Des ateliers de programmation de robots animés par des lycéennes de NSI pour des collégiennes de 3e.",
            "Le mentorat entre pairs favorise-t-il le choix de la spécialité NSI par les filles ?",
            "Programmer un robot ; décomposer un problème ; travailler en équipe.",
            "Vittascience (programmation par blocs et Python), robots pédagogiques", ["college", "lycee-gt"], ["3.4", "2.3"],
            ["vittascience"], sessions=5, minutes=90,
        ),
    ],
    # --- Histoire-géographie ------------------------------------------------------------
    "Deux littoraux en regard : une correspondance numérique entre la Bretagne et le Sénégal": [
        scenario(
            "Comparer deux littoraux avec un SIG en ligne", PUBLISHED,
            "Les élèves de Bretagne et de Saint-Louis du Sénégal comparent l'érosion de leurs littoraux à partir de cartes "
            "et d'images satellites, et échangent leurs analyses en visioconférence.",
            "Comment des élèves de deux continents peuvent-ils construire ensemble une analyse géographique ?",
            "Géographie : littoraux, aménagements et risques ; réaliser un croquis ; changer d'échelle.",
            "Édugéo, visioconférence de l'ENT, Éléa pour le partage", ["college"], ["1.1", "2.1", "2.3"], ["elea"],
            sessions=5, licence=Licence.ETALAB_2, edubase=31295,
        ),
        scenario(
            "Un carnet de bord numérique partagé", TESTED,
            "Les deux classes tiennent un carnet de bord commun (textes, photos, cartes) publié sur l'ENT.",
            "Comment garder une trace partagée d'une correspondance scolaire ?",
            "Raconter, décrire, expliquer ; utiliser le vocabulaire géographique.",
            "Blog de l'ENT", ["college"], ["2.2", "3.1", "4.2"], sessions=6, minutes=30,
        ),
    ],
    "Le Parlement européen en classe : visite virtuelle et session simulée": [
        scenario(
            "Visite virtuelle de l'hémicycle et session simulée", PUBLISHED,
            "Après une visite virtuelle du Parlement européen, la classe simule une session sur un projet de règlement "
            "relatif au numérique, groupes politiques et amendements compris.",
            "Comment faire comprendre le fonctionnement des institutions européennes par la mise en situation ?",
            "EMC et histoire : l'Union européenne, ses institutions, la citoyenneté européenne ; argumenter, débattre.",
            "Visite virtuelle du Parlement européen, outil de vote en ligne de l'ENT", ["lycee-gt", "lycee-pro"], ["2.1", "2.4"],
            sessions=4, edubase=31302,
        ),
        scenario(
            "Vérifier une information sur l'Europe", SUBMITTED,
            "Les élèves vérifient des affirmations circulant sur les réseaux au sujet de l'Union européenne, avec un "
            "assistant d'IA dont ils critiquent les réponses.",
            "Un assistant d'IA aide-t-il à vérifier l'information, ou faut-il aussi le vérifier ?",
            "Identifier des sources, les croiser, les hiérarchiser ; esprit critique.",
            "Moteurs de recherche, assistant conversationnel en mode classe", ["lycee-gt"], ["1.1", "2.4"],
            ai=(STUDENT_AI, "Assistant conversationnel dans un espace classe paramétré par l'académie", STUDENT_DATA), sessions=2,
        ),
    ],
    "Sur les plages du Débarquement : archives, cartes et témoignages numériques": [
        scenario(
            "Juin 1944 : croiser archives, cartes et témoignages", PUBLISHED,
            "Les élèves croisent des archives numérisées, des cartes interactives et des témoignages filmés pour raconter "
            "une journée du Débarquement du point de vue d'un acteur.",
            "Comment construire un récit historique rigoureux à partir de sources numériques variées ?",
            "Histoire : la Seconde Guerre mondiale ; analyser et croiser des documents ; construire un récit.",
            "Archives départementales en ligne, carte interactive, outil de frise", ["college", "lycee-pro"], ["1.1", "3.1"],
            sessions=4, edubase=31316,
        ),
        scenario(
            "Une visite de mémoire en réalité augmentée", VALIDATED,
            "Les élèves préparent une visite commentée d'un lieu de mémoire, enrichie de contenus en réalité augmentée.",
            "Comment transmettre la mémoire des lieux par le numérique ?",
            "Histoire et mémoire ; produire un discours adapté à un public.",
            "Application de réalité augmentée, tablettes", ["lycee-pro"], ["3.2", "2.2"], sessions=5,
        ),
    ],
    # --- Lettres ---------------------------------------------------------------------------
    "Écrire avec et contre l'IA : réécrire des fables au collège": [
        scenario(
            "Réécrire une fable de La Fontaine, avec et contre l'IA", PUBLISHED,
            "Les élèves comparent la réécriture d'une fable proposée par un outil d'IA à leurs propres réécritures, puis "
            "améliorent la leur en justifiant leurs choix.",
            "Que nous apprend la comparaison avec un texte généré sur notre propre écriture ?",
            "Écrire : réécrire un texte en respectant des contraintes ; lire : la fable, la morale, l'implicite.",
            "Assistant conversationnel projeté par l'enseignant, traitement de texte de l'ENT", ["college"], ["3.1", "2.4", "1.1"],
            ai=(TEACHER_AI, "Textes générés en classe entière par l'enseignant, projetés et commentés", NO_DATA), sessions=4,
            edubase=31320,
        ),
        scenario(
            "Le carnet d'écrivain numérique", DRAFT,
            "Chaque élève tient un carnet d'écrivain numérique où il garde ses brouillons et ses révisions.",
            "Garder trace des brouillons aide-t-il les élèves à réviser leurs textes ?",
            "Écrire : réviser et améliorer son texte.",
            "Traitement de texte de l'ENT", ["college"], ["3.1"], sessions=8, minutes=20,
        ),
    ],
    "L'IA, partenaire d'entraînement à l'oral de l'EAF": [
        scenario(
            "S'entraîner à l'entretien de l'EAF avec un agent conversationnel", PUBLISHED,
            "Les élèves s'entraînent à l'entretien de l'épreuve anticipée de français avec un agent conversationnel "
            "paramétré par l'enseignant, puis analysent la transcription de leur échange.",
            "Un agent conversationnel peut-il aider les élèves à s'entraîner à l'oral, et à quelles conditions ?",
            "Oral : présenter une œuvre, argumenter, répondre à des questions ; analyse de l'échange.",
            "Agent conversationnel paramétré, enregistreur de l'ENT", ["lycee-gt"], ["2.1", "4.2", "2.4"],
            ai=(STUDENT_AI, "Agent conversationnel vocal paramétré par l'enseignant (questions de l'examinateur)", STUDENT_DATA),
            sessions=3, edubase=31337,
        ),
        scenario(
            "Lire à voix haute : podcasts de lecture expressive", SUBMITTED,
            "Les élèves enregistrent la lecture expressive d'un extrait et la réécoutent avec une grille d'autoévaluation.",
            "Comment progresser en lecture à voix haute par l'écoute de soi ?",
            "Oral : lire de façon expressive un texte littéraire.",
            "Enregistreur de l'ENT", ["lycee-gt"], ["3.2"], sessions=3, screen=False,
        ),
    ],
    "Traduire le latin avec l'IA : comparer, corriger, comprendre": [
        scenario(
            "Comparer des traductions de Virgile : humaines et automatiques", PUBLISHED,
            "Les élèves comparent deux traductions publiées et une traduction automatique d'un passage de l'Énéide, "
            "repèrent les contresens et justifient leur propre traduction.",
            "Une traduction automatique aide-t-elle à comprendre la langue latine, ou la masque-t-elle ?",
            "Langues et cultures de l'Antiquité : traduire, analyser la langue, comparer des traductions.",
            "Outil de traduction automatique, textes numérisés", ["college", "lycee-gt"], ["1.1", "3.1"],
            ai=(STUDENT_AI, "Traducteur automatique utilisé en classe sur des textes fournis", STUDENT_DATA), sessions=3,
            licence=Licence.CC0, edubase=31341,
        ),
        scenario(
            "Un glossaire collaboratif des mots latins", RETURNED,
            "La classe construit un glossaire en ligne des mots latins rencontrés, avec leurs dérivés français.",
            "Comment fixer le vocabulaire latin dans la durée ?",
            "Lexique : étymologie, dérivation.",
            "Éléa (glossaire)", ["college"], ["2.3", "3.1"], ["elea"], sessions=5, minutes=30,
            comment="Ajoutez des exemples d'entrées du glossaire et la manière dont elles sont vérifiées par l'enseignant.",
        ),
    ],
    # --- SVT ----------------------------------------------------------------------------------
    "Moustique tigre et santé : capteurs et base de données participative": [
        scenario(
            "Pièges pondoirs et base de données participative", PUBLISHED,
            "Les élèves relèvent des pièges pondoirs autour de l'établissement, saisissent leurs données dans une base "
            "partagée entre établissements et les cartographient.",
            "Comment une science participative aide-t-elle à comprendre l'expansion du moustique tigre ?",
            "SVT : biodiversité, santé humaine et environnement (« Une seule santé ») ; démarche d'investigation.",
            "Vittascience (capteurs de température et d'humidité), tableur partagé, SIG en ligne", ["college", "lycee-gt"],
            ["1.2", "1.3", "2.3"], ["vittascience"], sessions=6, edubase=31355,
        ),
        scenario(
            "Capteurs connectés : température, humidité et cycle du moustique", TESTED,
            "Les élèves programment des capteurs et relient les mesures au cycle de développement du moustique.",
            "Quels facteurs du milieu favorisent le développement du moustique tigre ?",
            "Mesurer, traiter des données ; cycle de développement d'un insecte.",
            "Vittascience, cartes programmables", ["college"], ["3.4", "1.3"], ["vittascience"], sessions=4,
        ),
    ],
    "Diagnostiquer avec l'IA ? Imagerie médicale et vétérinaire au lycée": [
        scenario(
            "Entraîner un classifieur d'images de radiographies", PUBLISHED,
            "Les élèves entraînent un classifieur d'images sur un jeu de radiographies anonymisées, mesurent ses erreurs "
            "et discutent de la place du médecin dans le diagnostic.",
            "Que peut, et que ne peut pas, une intelligence artificielle dans un diagnostic médical ?",
            "SVT et enseignement scientifique : imagerie médicale, démarche diagnostique ; esprit critique face aux données.",
            "Vittascience (module d'apprentissage automatique), jeu d'images ouvert anonymisé", ["lycee-gt"], ["1.3", "4.3", "5.2"],
            ["vittascience"], ai=(STUDENT_AI, "Classifieur d'images entraîné par les élèves dans le navigateur", STUDENT_DATA),
            sessions=4, edubase=31369,
        ),
        scenario(
            "Santé animale : lire une échographie vétérinaire", DRAFT,
            "Avec le lycée agricole partenaire, les élèves interprètent des échographies vétérinaires.",
            "Comment l'imagerie aide-t-elle au suivi de la santé animale ?",
            "Imagerie, anatomie comparée.",
            "Visionneuse d'images, visioconférence", ["lycee-gt"], ["1.1"], sessions=2,
        ),
    ],
}
