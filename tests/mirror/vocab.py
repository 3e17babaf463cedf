"""Word lists the synthetic articles are drawn from (data only)."""

from __future__ import annotations

CONDITIONS = (
    "hypertension", "type 2 diabetes", "heart failure", "atrial fibrillation", "asthma",
    "chronic obstructive pulmonary disease", "breast cancer", "colorectal cancer",
    "major depressive disorder", "fibromyalgia", "rheumatoid arthritis", "osteoporosis",
    "chronic kidney disease", "stroke", "sepsis", "obesity", "migraine", "psoriasis",
    "aortic stenosis", "Parkinson disease", "Alzheimer disease", "tuberculosis",
    "pancreatic cancer", "chronic pain", "hepatitis C",
)
INTERVENTIONS = (
    "aspirin", "metformin", "ketamine", "exercise training", "cognitive behavioural therapy",
    "statin therapy", "vitamin D supplementation", "early mobilisation", "telemonitoring",
    "transcatheter valve replacement", "bariatric surgery", "acupuncture",
    "machine learning", "mindfulness", "intermittent fasting", "physiotherapy",
)
OUTCOMES = (
    "mortality", "quality of life", "readmission", "pain intensity", "blood pressure control",
    "glycaemic control", "functional recovery", "adverse events", "hospital length of stay",
    "cognitive decline",
)
POPULATIONS = (
    "older adults", "children", "adolescents", "pregnant women", "veterans",
    "primary care patients", "intensive care patients", "nursing home residents",
    "outpatients", "healthy volunteers",
)
DESIGNS = (
    "a randomized controlled trial", "a prospective cohort study", "a cross-sectional study",
    "a retrospective cohort study", "a case-control study", "a pilot study",
)
#: Syllables of made-up drug names: rare title words, so some searches hit one article.
DRUG_HEAD = (
    "zor", "vel", "tam", "qui", "bra", "dex", "lum", "nor", "pax", "ril", "sor", "tev",
    "ulo", "vox", "xan",
)
DRUG_MID = ("a", "e", "i", "o", "u", "ara", "eli", "ini", "obu", "ute")
DRUG_TAIL = ("mab", "nib", "zole", "pril", "statin", "vir", "lukast", "parin")

FORE_NAMES = (
    "Chen", "Sundas", "Hadi", "Clarissa", "Amer", "Mohamed", "Maria", "John", "Aisha", "Kenji",
    "Ingrid", "Pedro", "Fatima", "Lukas", "Priya", "Olga", "Samuel", "Mei", "Tomasz", "Grace",
    "David G", "Anna K", "Rahul", "Elena", "Jonas", "Nadia", "Oliver", "Yuki", "Carlos",
    "Zainab",
)
LAST_NAMES = (
    "Zhang", "Butt", "Kashif", "Rowe", "Harky", "Zeinah", "Garcia", "Smith", "Khan", "Tanaka",
    "Larsen", "Silva", "Haddad", "Becker", "Patel", "Ivanova", "Okafor", "Wang", "Nowak",
    "Parraga", "McCormack", "Fenster", "Rossi", "Dubois", "Kim", "Nguyen", "Arentz-Hansen",
    "Moreau", "Schmidt", "Yilmaz",
)
COLLECTIVES = (
    "Canadian Respiratory Research Network", "Global Burden of Disease Study Group",
    "European Stroke Trialists Collaboration", "Nordic Heart Failure Investigators",
)
INSTITUTIONS = (
    "Faculty of Medicine and Health, University of New South Wales, Sydney, Australia.",
    "Department of Cardiothoracic Surgery, Liverpool Heart and Chest Hospital, Liverpool, "
    "United Kingdom.",
    "Department of Medicine, Imperial College London, London, United Kingdom.",
    "Robarts Research Institute, University of Western Ontario, London, Ontario, Canada.",
    "Department of Epidemiology, Harvard T.H. Chan School of Public Health, Boston, MA, USA.",
    "Department of Clinical Sciences, Karolinska Institutet, Stockholm, Sweden.",
    "Division of Rheumatology, University of Toronto, Toronto, Canada.",
    "Faculty of Medicine, Ain Shams University, Cairo, Egypt.",
    "Department of Public Health, Aarhus University, Aarhus, Denmark.",
    "Graduate School of Medicine, Kyoto University, Kyoto, Japan.",
    "Institute of Health Sciences, University of Sao Paulo, Sao Paulo, Brazil.",
    "Department of Neurology, Charite - Universitatsmedizin Berlin, Berlin, Germany.",
    "School of Public Health, Peking University, Beijing, China.",
    "Department of Internal Medicine, Seoul National University Hospital, Seoul, Korea.",
)
#: (title, ISO abbreviation, ISSN, DOI prefix)
JOURNALS = (
    ("Cardiology in review", "Cardiol Rev", "1538-4683", "10.1097"),
    ("Journal of medical imaging (Bellingham, Wash.)", "J Med Imaging (Bellingham)",
     "2329-4302", "10.1117"),
    ("BMJ open", "BMJ Open", "2044-6055", "10.1136"),
    ("PloS one", "PLoS One", "1932-6203", "10.1371"),
    ("The Lancet. Public health", "Lancet Public Health", "2468-2667", "10.1016"),
    ("Journal of clinical medicine", "J Clin Med", "2077-0383", "10.3390"),
    ("European heart journal", "Eur Heart J", "1522-9645", "10.1093"),
    ("Pain medicine (Malden, Mass.)", "Pain Med", "1526-4637", "10.1093"),
    ("Occupational and environmental medicine", "Occup Environ Med", "1470-7926", "10.1136"),
    ("Scientific reports", "Sci Rep", "2045-2322", "10.1038"),
    ("Systematic reviews", "Syst Rev", "2046-4053", "10.1186"),
    ("JAMA network open", "JAMA Netw Open", "2574-3805", "10.1001"),
)
KEYWORDS = (
    "aorta", "mortality", "outcomes", "valve surgery", "meta-analysis", "systematic review",
    "biomarkers", "risk factors", "prognosis", "public health", "epidemiology",
    "randomized controlled trial", "quality of life", "machine learning", "inflammation",
    "primary care", "cohort study", "pharmacotherapy", "rehabilitation", "screening",
)
MESH_DESCRIPTORS = (
    "Humans", "Male", "Female", "Aged", "Adult", "Middle Aged", "Treatment Outcome",
    "Risk Factors", "Aorta", "Aortic Valve", "Hypertension", "Diabetes Mellitus, Type 2",
    "Heart Failure", "Asthma", "Breast Neoplasms", "Fibromyalgia", "Ketamine", "Metformin",
    "Exercise Therapy", "Quality of Life", "Prospective Studies", "Retrospective Studies",
    "Stroke", "Obesity", "Depressive Disorder, Major", "Machine Learning",
)
MESH_QUALIFIERS = (
    "surgery", "complications", "drug therapy", "epidemiology", "methods", "therapeutic use",
    "diagnosis", "mortality", "genetics", "prevention & control", "adverse effects",
)
COI_STATEMENTS = (
    "Disclosure: The authors declare no conflict of interest.",
    "The authors have declared that no competing interests exist.",
    "Competing interests: None declared.",
    "JS reports grants from the National Institutes of Health outside the submitted work. "
    "The other authors report no conflicts.",
)
DATABASES = (
    "PubMed", "Embase", "Web of Science", "the Cochrane Library", "Scopus", "CINAHL",
    "PsycINFO",
)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)
