"""A synthetic province: realistic annual reports with ground truth and injected faults.

The province (agencies, renames, merges), each agency's chained figures, the faults and the
printed layout are pure functions of the seed; only `synth.writers` and `synth.province` touch
files. Everything the template prints comes from `form.catalogue` and `form.layout`, the
ways agencies print around it (dates, dashes, label variants) from `form.printing`; the
generator's own fiction (place and department names, narrative prose) lives in `synth.names` and
`synth.wording`, the only modules here that spell Chinese.
"""
