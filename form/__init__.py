"""The official report template as data: cells, labels, values and the Report record."""
