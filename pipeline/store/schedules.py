"""Where the scheduler keeps its jobs: APScheduler's table in the store's own database."""

from __future__ import annotations

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

from pipeline.store.handle import Database


def schedule_store(db: Database) -> SQLAlchemyJobStore:
    """APScheduler's job store on the process's one engine for this database, which the
    scheduler holds for its whole life."""
    return SQLAlchemyJobStore(engine=db.engine, tablename="apscheduler_jobs")
