"""The environment, read once: every `XXGK_*` variable (or `.env`) the project knows, in one place.

Library code (connectors, expectations, warehouse) takes what it needs as arguments; only the
command line and the flows read settings, so a test or a deployment picks its environment here.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import PositiveFloat, PositiveInt, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from connectors.limits import DEFAULT_LIMITS, Limits
from mail.transport import FolderTransport, SmtpConfig, SmtpTransport, Transport

#: the port each XXGK_SMTP_SECURITY uses unless XXGK_SMTP_PORT says otherwise
DEFAULT_SMTP_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="XXGK_", env_file=".env", extra="ignore")

    #: working folder for the embedded defaults (SQLite warehouse, raw archive, outbox)
    home: Path = Path("xxgk-data")
    #: any SQLAlchemy URL; `postgresql://…` uses psycopg 3. Default: SQLite file under `home`.
    warehouse_url: str | None = None
    #: where raw submissions are archived by sha256: a folder or any fsspec URL
    archive_url: str | None = None
    #: outgoing mail (quality reports to agencies) is written here as .eml files
    outbox_dir: Path | None = None
    #: the sender of those mails
    mail_from: str = "xxgk@localhost"
    #: copies of every quality report (comma-separated addresses), e.g. the provincial office
    mail_cc: str = ""
    #: the provincial office's address: the summary after each aggregation goes there
    mail_province: str | None = None
    #: an SMTP server: without a host, mail is written as .eml files into the outbox folder
    smtp_host: str | None = None
    smtp_port: int | None = None
    #: starttls | ssl | none
    smtp_security: str = "starttls"
    smtp_user: str | None = None
    #: never logged or shown: pydantic keeps it out of repr, and delivery errors redact it
    smtp_password: SecretStr | None = None
    #: a CA bundle to trust besides the system's (a relay with a private certificate)
    smtp_cafile: str | None = None
    #: seconds an ingest spends sending its quality reports; what is left stays due in the outbox for
    #: `xxgk notify` or the notify deployment (a province's first load queues thousands at once)
    mail_send_seconds: float = 5.0
    #: reports per chunk in flows (one GX run and one load transaction per chunk)
    chunk_size: int = 1000
    #: processes that read and check chunks side by side (default: one per core); 1 runs every
    #: task in the flow's own process
    workers: int | None = None
    #: a Dask scheduler (`tcp://host:8786`): reading and checking run on that cluster instead
    dask_address: str | None = None
    #: where a run keeps its parsed and checked chunks between tasks (default `home/spool`; a
    #: folder or fsspec URL every worker can reach when tasks run on other machines)
    spool_url: str | None = None

    #: reading limits per file (connectors/limits.py; README "Reading limits"): a file over one is
    #: quarantined with the limit named. Seconds one file's reading may take:
    max_seconds: PositiveFloat = DEFAULT_LIMITS.seconds
    #: bytes of a file
    max_bytes: PositiveInt = DEFAULT_LIMITS.bytes
    #: bytes the parsers are handed: a Word package's XML parts decompressed, an HTML or text file
    #: (lxml needs ~20x that in memory)
    max_markup_bytes: PositiveInt = DEFAULT_LIMITS.markup_bytes
    #: XML/HTML elements nested inside one another
    max_depth: PositiveInt = DEFAULT_LIMITS.depth
    #: elements of a parsed Word body or HTML page, lines of a text file
    max_elements: PositiveInt = DEFAULT_LIMITS.elements
    #: pages of a PDF
    max_pages: PositiveInt = DEFAULT_LIMITS.pages
    #: seconds reading one scan (image-only PDF, page images) by OCR may take
    max_scan_seconds: PositiveFloat = DEFAULT_LIMITS.scan_seconds

    def limits(self) -> Limits:
        """The reading limits the settings give (XXGK_MAX_*)."""
        return Limits(
            seconds=self.max_seconds,
            bytes=self.max_bytes,
            markup_bytes=self.max_markup_bytes,
            depth=self.max_depth,
            elements=self.max_elements,
            pages=self.max_pages,
            scan_seconds=self.max_scan_seconds,
        )

    @property
    def resolved_warehouse_url(self) -> str:
        if self.warehouse_url:
            return self.warehouse_url
        return f"sqlite:///{(self.home / 'warehouse.sqlite').resolve()}"

    @property
    def resolved_archive_url(self) -> str:
        return self.archive_url or str((self.home / "archive").resolve())

    @property
    def resolved_spool_url(self) -> str:
        return self.spool_url or str((self.home / "spool").resolve())

    @property
    def resolved_workers(self) -> int:
        return max(1, self.workers or os.cpu_count() or 1)

    @property
    def resolved_outbox_dir(self) -> Path:
        return self.outbox_dir or self.home / "outbox"

    @property
    def cc(self) -> list[str]:
        return [a.strip() for a in self.mail_cc.split(",") if a.strip()]

    def smtp_config(self) -> SmtpConfig | None:
        """The SMTP server to deliver through, or None (the .eml folder)."""
        if not self.smtp_host:
            return None
        security = self.smtp_security.strip().lower()
        return SmtpConfig(
            host=self.smtp_host,
            port=self.smtp_port or DEFAULT_SMTP_PORTS.get(security, 587),
            security=security,  # type: ignore[arg-type]  (SmtpConfig refuses an unknown one)
            user=self.smtp_user or None,
            password=self.smtp_password.get_secret_value() if self.smtp_password else None,
            cafile=self.smtp_cafile,
        )

    def transport(self, outbox_dir: str | Path | None = None) -> Transport:
        """Where mail goes: the SMTP server when a host is set, else the outbox folder."""
        config = self.smtp_config()
        if config is not None:
            return SmtpTransport(config)
        return FolderTransport(Path(outbox_dir) if outbox_dir else self.resolved_outbox_dir)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
