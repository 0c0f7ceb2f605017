"""Sources and readers: every submitted file becomes one `form.record.Report` or a clear reason."""
