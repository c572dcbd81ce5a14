"""publish stage: what assay tells people. Market reports (md, html, pdf), digests of what changed,
and watch rules that notify subscribers by mail or webhook.

    text = render_report(store, "magnesium", ReportOptions(lang="zh", format="pdf"))
"""
