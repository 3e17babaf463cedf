"""Labelled abstract snippets for ``aggregator.review_facts.extract_review``.

Every case labels *every* field: what is not given below is expected to be null / empty,
so a value the extractor reads where the text states none counts as a false positive.
``traps`` names the fields whose tempting wording (records screened, a previous
meta-analysis, a database not searched, …) must NOT be read: they are expected null.
Written by hand from the phrasings found in PubMed abstracts; the expected values are what a
careful reader takes from the text, not what the code happens to give.
"""

from __future__ import annotations

from dataclasses import dataclass

SR = "systematic_review"
MA = "meta_analysis"
SRMA = "systematic_review_and_meta_analysis"
RCT = "randomized controlled trial"
PUBMED = "PubMed/MEDLINE"


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    publication_types: tuple[str, ...] = ()
    title: str | None = None
    label: str | None = None  # the abstract section's label, when it matters
    type: str | None = None
    studies_included: int | None = None
    participants: int | None = None
    study_designs: tuple[str, ...] = ()
    databases: tuple[str, ...] = ()
    search_period: str | None = None
    registration: str | None = None
    guideline: str | None = None
    traps: tuple[str, ...] = ()


SCALAR_FIELDS = ("type", "studies_included", "participants", "search_period", "registration",
                 "guideline")
LIST_FIELDS = ("study_designs", "databases")
FIELDS = SCALAR_FIELDS + LIST_FIELDS

_SR_PT = ("Journal Article", "Systematic Review")
_MA_PT = ("Journal Article", "Meta-Analysis")
_PRIMARY = ("Journal Article",)

CASES: list[Case] = [
    # ---------------------------------------------------------------- counts
    Case("words_and_thousands",
         "Twelve randomized controlled trials involving 1,345 participants were included.",
         _SR_PT, type=SR, studies_included=12, participants=1345, study_designs=(RCT,)),
    Case("space_thousands",
         "A total of 2 345 patients from 18 studies were included in the meta-analysis.",
         _MA_PT, type=MA, studies_included=18, participants=2345),
    Case("screened_then_included",
         "The search identified 1,532 records; after removing duplicates, 1,024 were screened "
         "and 27 studies met the inclusion criteria.",
         _SR_PT, type=SR, studies_included=27),
    Case("trap_screened_only",
         "Our search retrieved 3,456 citations, of which 245 full-text articles were assessed "
         "for eligibility.",
         _SR_PT, type=SR, traps=("studies_included",)),
    Case("trap_previous_meta_analyses_primary",
         "Previous meta-analyses included 12 trials with 4,500 patients, but none assessed "
         "long-term outcomes.",
         _PRIMARY, traps=("type", "studies_included", "participants")),
    Case("trap_previous_meta_analysis_in_review",
         "A previous meta-analysis included 12 trials with 4,500 patients.",
         _SR_PT, type=SR, traps=("studies_included", "participants")),
    Case("trap_primary_mentions_no_review",
         "No systematic review has examined this question; we therefore conducted a "
         "prospective cohort study of 1,200 adults.",
         _PRIMARY, traps=("type", "participants", "study_designs")),
    Case("trap_primary_patients_included",
         "A total of 1,024 patients were included in this retrospective cohort study.",
         ("Journal Article", "Observational Study"),
         traps=("type", "participants", "study_designs")),
    Case("of_which_included",
         "The search yielded 4,312 records, of which 19 were included.",
         _SR_PT, type=SR, studies_included=19),
    Case("one_hundred_and_five",
         "One hundred and five studies were included, comprising 23,456 participants.",
         _SR_PT, type=SR, studies_included=105, participants=23456),
    Case("elliptic_design_list",
         "We included 14 prospective cohort, 6 case-control and 3 cross-sectional studies.",
         _SR_PT, type=SR, studies_included=23,
         study_designs=("prospective cohort", "case-control", "cross-sectional")),
    Case("rcts_and_nrs_with_paren",
         "Nine RCTs and 4 non-randomised studies (1,876 patients) were included.",
         _MA_PT, type=MA, studies_included=13, participants=1876,
         study_designs=(RCT, "non-randomized study")),
    Case("n_in_parentheses",
         "Thirty-one RCTs (n = 12,345) met the inclusion criteria.",
         ("Journal Article",), title="Statins for primary prevention: a systematic review and "
         "meta-analysis", type=SRMA, studies_included=31, participants=12345,
         study_designs=(RCT,)),
    Case("k_and_n",
         "Across k = 38 studies (N = 10,512), the pooled correlation was r = .21.",
         _MA_PT, type=MA, studies_included=38, participants=10512),
    Case("network_meta_analysis_of",
         "We performed a systematic review and network meta-analysis of 45 trials.",
         (), type=SRMA, studies_included=45),
    Case("scoping_words",
         "Forty-seven articles met the eligibility criteria.",
         (), title="Digital health literacy in older adults: a scoping review",
         type="scoping_review", studies_included=47),
    Case("umbrella_reviews_included",
         "Twenty-two systematic reviews and meta-analyses were included.",
         (), title="Vitamin D and health outcomes: an umbrella review",
         type="umbrella_review", studies_included=22,
         study_designs=("systematic review", "meta-analysis")),
    Case("trap_excluded_count",
         "Forty-three studies were excluded after full-text review.",
         _SR_PT, type=SR, traps=("studies_included",)),
    Case("trap_none_met_criteria",
         "Of the two hundred and twelve full-text articles assessed, none met our criteria.",
         _SR_PT, type=SR, traps=("studies_included",)),
    Case("trap_ongoing_trials",
         "Three ongoing trials were identified in trial registries.",
         _SR_PT, type=SR, traps=("studies_included", "databases")),
    Case("trap_records_in_words",
         "Electronic searches identified two thousand one hundred records.",
         _SR_PT, type=SR, traps=("studies_included",)),
    Case("trap_sample_size_range",
         "Sample sizes ranged from 20 to 1,200 participants per study.",
         _SR_PT, type=SR, traps=("participants",)),
    Case("trap_largest_trial",
         "The largest trial included 5,000 patients.",
         _MA_PT, type=MA, traps=("participants", "studies_included")),
    Case("trap_eligibility_minimum",
         "Trials enrolling at least 50 adults were eligible.",
         _SR_PT, type=SR, traps=("participants", "studies_included")),
    Case("trap_percentage_of_studies",
         "Overall, 35% of the included studies were judged at high risk of bias.",
         _SR_PT, type=SR, traps=("studies_included",)),
    # ---------------------------------------------------------------- designs
    Case("trap_designs_excluded",
         "Case reports, case series and cross-sectional studies were excluded.",
         _SR_PT, type=SR, traps=("study_designs",)),
    Case("trap_designs_needed",
         "Large randomized controlled trials are needed to confirm these findings.",
         _SR_PT, type=SR, traps=("study_designs",)),
    # ---------------------------------------------------------------- databases, period
    Case("databases_list_inception",
         "We searched PubMed, Embase, the Cochrane Central Register of Controlled Trials "
         "(CENTRAL), Web of Science and Scopus from inception to March 2023.",
         _SR_PT, type=SR, databases=(PUBMED, "Embase", "Cochrane Library", "Web of Science",
                                     "Scopus"),
         search_period="from inception to March 2023"),
    Case("databases_ovid_up_to",
         "MEDLINE (Ovid), Embase (Ovid), PsycINFO and CINAHL were searched up to June 2022.",
         _SR_PT, type=SR, databases=(PUBMED, "Embase", "PsycINFO", "CINAHL"),
         search_period="up to June 2022"),
    Case("databases_chinese_between",
         "Eight databases (PubMed, Embase, Cochrane Library, Web of Science, CNKI, Wanfang, VIP "
         "and CBM) were searched between January 2000 and December 2021.",
         _MA_PT, type=MA, databases=(PUBMED, "Embase", "Cochrane Library", "Web of Science",
                                     "CNKI", "Wanfang", "VIP", "CBM"),
         search_period="between January 2000 and December 2021", traps=("studies_included",)),
    Case("registries_searched",
         "Trial registries (ClinicalTrials.gov and the WHO ICTRP) were also searched.",
         _SR_PT, type=SR, databases=("ClinicalTrials.gov", "WHO ICTRP")),
    Case("data_sources_label",
         "MEDLINE, Embase and Google Scholar, 1990-2020.",
         _SR_PT, label="DATA SOURCES", type=SR,
         databases=(PUBMED, "Embase", "Google Scholar"), search_period="1990-2020"),
    Case("last_ten_years",
         "We searched PubMed and Embase for studies published in the last 10 years.",
         _SR_PT, type=SR, databases=(PUBMED, "Embase"), search_period="in the last 10 years"),
    Case("eligible_from_to",
         "Studies published from 1 January 2000 to 31 December 2020 were eligible.",
         _SR_PT, type=SR, search_period="from 1 January 2000 to 31 December 2020"),
    Case("last_searched_on",
         "Databases were last searched on 15 March 2023.",
         _SR_PT, type=SR, search_period="on 15 March 2023"),
    Case("trap_cochrane_tool",
         "Risk of bias was assessed with the Cochrane risk-of-bias tool (RoB 2).",
         _SR_PT, type=SR, traps=("databases",)),
    Case("trap_cochrane_handbook",
         "Methods followed the Cochrane Handbook for Systematic Reviews of Interventions.",
         _SR_PT, type=SR, traps=("databases", "guideline")),
    Case("trap_trial_registration_primary",
         "Trial registration: ClinicalTrials.gov NCT01234567.",
         ("Journal Article", "Randomized Controlled Trial"),
         traps=("databases", "registration")),
    Case("trap_previous_reviews_searched",
         "Previous reviews searched only MEDLINE and missed trials indexed in Embase.",
         _SR_PT, type=SR, traps=("databases",)),
    Case("trap_not_bibliographic",
         "Data were obtained from the MIMIC-IV database and the UK Biobank.",
         _PRIMARY, traps=("databases",)),
    Case("trap_citation_counts",
         "Citation counts were obtained from Google Scholar.",
         _PRIMARY, traps=("databases",)),
    Case("trap_included_were_published",
         "The included studies were published between 2005 and 2019.",
         _SR_PT, type=SR, traps=("search_period",)),
    Case("trap_primary_period",
         "Patients admitted between 2010 and 2015 were included.",
         _PRIMARY, traps=("search_period", "participants")),
    Case("trap_survey_years",
         "Data from the 2015-2019 National Health Interview Survey were analysed.",
         _PRIMARY, traps=("search_period",)),
    # ---------------------------------------------------------------- registration
    Case("prospero",
         "The protocol was registered in PROSPERO (CRD42023401234).",
         _SR_PT, type=SR, registration="CRD42023401234", traps=("databases",)),
    Case("prospero_spaced",
         "PROSPERO registration number: CRD 42021 245678.",
         _SR_PT, type=SR, registration="CRD42021245678"),
    Case("inplasy",
         "This review was registered with INPLASY (INPLASY202340012).",
         _SR_PT, type=SR, registration="INPLASY202340012"),
    Case("osf",
         "The protocol is available on the Open Science Framework (https://osf.io/ab3cd).",
         _SR_PT, type=SR, registration="https://osf.io/ab3cd"),
    Case("trap_nct_in_review",
         "One ongoing trial (NCT04567890) was identified.",
         _SR_PT, type=SR, traps=("registration", "studies_included")),
    Case("trap_not_registered",
         "This review was not registered.",
         _SR_PT, type=SR, traps=("registration",)),
    # ---------------------------------------------------------------- guideline
    Case("prisma_2020",
         "This systematic review followed the PRISMA 2020 statement.",
         _SR_PT, type=SR, guideline="PRISMA"),
    Case("prisma_scr",
         "We followed the PRISMA extension for Scoping Reviews (PRISMA-ScR).",
         (), title="Peer support for carers: a scoping review", type="scoping_review",
         guideline="PRISMA-ScR"),
    Case("prisma_and_moose",
         "The review was reported according to the PRISMA and MOOSE guidelines.",
         ("Systematic Review", "Meta-Analysis"), type=SRMA, guideline="MOOSE"),
    Case("trap_amstar",
         "Methodological quality of the included reviews was appraised with AMSTAR 2.",
         _SR_PT, type=SR, traps=("guideline",)),
    Case("trap_prisma_adherence_study",
         "We assessed adherence to PRISMA in 150 systematic reviews published in anaesthesia "
         "journals.",
         _PRIMARY, traps=("type", "guideline", "studies_included")),
    Case("trap_consort",
         "The trial is reported following the CONSORT statement.",
         ("Journal Article", "Randomized Controlled Trial"), traps=("guideline",)),
    Case("protocol_not_a_review",
         "We will search MEDLINE, Embase and CENTRAL from inception to the present. The "
         "protocol follows PRISMA-P and is registered in PROSPERO (CRD42024512345).",
         (), title="Exercise for chronic low back pain: protocol for a systematic review and "
         "meta-analysis", databases=(PUBMED, "Embase", "Cochrane Library"),
         search_period="from inception to the present", registration="CRD42024512345",
         guideline="PRISMA-P", traps=("type",)),
    # ---------------------------------------------------------------- type from the abstract
    Case("review_type_refined_by_abstract",
         "We conducted a scoping review of mobile health interventions for asthma.",
         ("Journal Article", "Review"), type="scoping_review"),
    Case("review_alone_is_narrative",
         "Here we summarize recent advances in CAR-T cell therapy for solid tumours.",
         ("Journal Article", "Review"), type="narrative_review"),
    Case("design_label",
         "Systematic review and meta-analysis.",
         (), label="DESIGN", type=SRMA),
    Case("meta_analysis_not_performed",
         "A meta-analysis was not performed because of clinical heterogeneity.",
         _SR_PT, type=SR),
    Case("trap_background_meta_analysis",
         "A meta-analysis was performed in 2015 showing benefit, but it included only 6 trials.",
         _PRIMARY, label="BACKGROUND", traps=("type", "studies_included")),
    Case("trap_chart_review",
         "We conducted a retrospective review of medical records of 312 patients.",
         _PRIMARY, traps=("type", "participants")),
    Case("trap_plural_reviews",
         "Systematic reviews and meta-analyses are increasingly used to inform guidelines.",
         _PRIMARY, traps=("type",)),
]

#: Written after the extractor, as a check on over-fitting: realistic multi-sentence snippets
#: labelled before the extractor was first run on them (its first-run score is in the report).
HOLDOUT: list[Case] = [
    Case("h_sglt2",
         "Methods: We systematically searched MEDLINE, EMBASE, and the Cochrane Library through "
         "31 August 2022 for randomised controlled trials comparing SGLT2 inhibitors with "
         "placebo. Results: Eleven trials comprising 71,553 participants were eligible.",
         ("Journal Article", "Meta-Analysis", "Systematic Review"), type=SRMA,
         studies_included=11, participants=71553, study_designs=(RCT,),
         databases=(PUBMED, "Embase", "Cochrane Library"),
         search_period="through 31 August 2022"),
    Case("h_microbiota",
         "A systematic search of PubMed, Scopus and PsycINFO was performed in January 2023. Of "
         "1,873 records screened, 24 studies (n = 4,127) fulfilled the inclusion criteria. Most "
         "were cross-sectional (n = 15); nine were case-control studies.",
         ("Review",), title="Gut microbiota and depression: a systematic review", type=SR,
         studies_included=24, participants=4127,
         study_designs=("cross-sectional", "case-control"),
         databases=(PUBMED, "Scopus", "PsycINFO"), search_period="in January 2023"),
    Case("h_primary_rct",
         "In this multicentre randomised controlled trial, 412 patients were randomly assigned "
         "to receive drug A or placebo. Previous systematic reviews have reported conflicting "
         "results. The trial was registered at ClinicalTrials.gov (NCT02345678).",
         ("Journal Article",),
         traps=("type", "participants", "databases", "registration", "study_designs")),
    Case("h_burnout",
         "Data sources: PubMed, Embase, Web of Science and CINAHL were searched from their "
         "inception until 15 February 2024. Study selection: Observational studies reporting "
         "the prevalence of burnout among nurses were included. Data synthesis: We identified "
         "86 studies with a total of 123,456 nurses.",
         ("Journal Article", "Systematic Review"),
         title="Burnout among nurses: a systematic review and meta-analysis", type=SRMA,
         studies_included=86, participants=123456, study_designs=("observational",),
         databases=(PUBMED, "Embase", "Web of Science", "CINAHL"),
         search_period="from their inception until 15 February 2024"),
    Case("h_narrative_decades",
         "This narrative review summarises the evidence on intermittent fasting published over "
         "the past two decades.",
         ("Journal Article", "Review"), type="narrative_review",
         search_period="over the past two decades"),
    Case("h_moose_cohorts",
         "A meta-analysis of 17 cohort studies published between 1995 and 2020 was conducted "
         "following MOOSE guidelines. The pooled analysis included 1.2 million women.",
         ("Journal Article", "Meta-Analysis"), type=MA, studies_included=17,
         participants=1200000, study_designs=("cohort",),
         search_period="between 1995 and 2020", guideline="MOOSE"),
    Case("h_bibliometric",
         "We retrieved 5,432 publications on COVID-19 vaccine hesitancy from the Web of Science "
         "Core Collection between 2020 and 2023 and analysed co-authorship networks.",
         ("Journal Article",), databases=("Web of Science",),
         search_period="between 2020 and 2023", traps=("type", "studies_included")),
    Case("h_unique_trials",
         "Two reviewers independently screened 2,908 titles and abstracts and assessed 112 full "
         "texts. Fifteen publications reporting on 13 unique trials were included.",
         ("Systematic Review",), type=SR, studies_included=13),
    Case("h_pooled_rcts",
         "PROSPERO registration: CRD42022345678. We pooled data from 9 RCTs (n=1,024) using "
         "random-effects models.",
         ("Journal Article", "Systematic Review", "Meta-Analysis"), type=SRMA,
         registration="CRD42022345678", studies_included=9, participants=1024,
         study_designs=(RCT,)),
    Case("h_mindfulness",
         "We conducted a systematic review and meta-analysis following PRISMA guidelines. "
         "Searches of five databases identified 23 eligible randomised trials involving 3,105 "
         "adolescents.",
         (), title="Mindfulness interventions for anxiety in adolescents", type=SRMA,
         guideline="PRISMA", studies_included=23, participants=3105, study_designs=(RCT,)),
    Case("h_primary_cohort",
         "Between 2005 and 2015, 8,341 women were enrolled in a prospective cohort. Data were "
         "linked to the Danish National Patient Registry.",
         ("Journal Article",),
         traps=("participants", "search_period", "study_designs", "databases")),
    Case("h_narrative_pubmed",
         "We searched PubMed and Google Scholar using the terms 'sepsis' and 'vitamin C'. "
         "Thirty-two articles were reviewed.",
         ("Review",), type="narrative_review", databases=(PUBMED, "Google Scholar"),
         studies_included=32),
    Case("h_scoping_sources",
         "Following the Joanna Briggs Institute methodology and the PRISMA-ScR checklist, we "
         "searched MEDLINE, CINAHL and ERIC. A total of 58 sources of evidence were included.",
         ("Scoping Review",), type="scoping_review", guideline="PRISMA-ScR",
         databases=(PUBMED, "CINAHL", "ERIC"), studies_included=58),
    Case("h_subset_meta_analysed",
         "Nineteen studies met our inclusion criteria, of which 12 provided data for the "
         "meta-analysis (2,310 patients).",
         ("Journal Article", "Meta-Analysis"), type=MA, studies_included=19,
         participants=2310),
    Case("h_tools_only",
         "Risk of bias was assessed using the Cochrane RoB 2 tool and the Newcastle-Ottawa "
         "Scale. Certainty of evidence was rated with GRADE.",
         ("Journal Article", "Systematic Review"), type=SR, traps=("databases", "guideline")),
    Case("h_umbrella",
         "This umbrella review included 31 meta-analyses of observational studies.",
         ("Journal Article",), type="umbrella_review", studies_included=31,
         study_designs=("meta-analysis",)),
    Case("h_recent_meta_analyses",
         "Recent meta-analyses have included up to 40 trials, yet heterogeneity remains high. "
         "We therefore designed a pragmatic trial.",
         ("Journal Article",), traps=("type", "studies_included")),
]
