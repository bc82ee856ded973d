"""Writing the official forms and the report: xlsx with live formulas, docx, pdf, charts."""
