"""The provincial office's documents, built from a stored aggregation (`warehouse.aggregation`).

summary_docx.py the 汇总 report in the template's layout · workbook.py the xlsx · charts.py the PNG
charts · dashboard.py the self-contained dashboard.html. Pure over an `Aggregation` apart from
writing the files; `flows/aggregate.py` decides where they go.
"""
