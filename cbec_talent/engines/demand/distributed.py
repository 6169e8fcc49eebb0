"""Demand figures of many posting files on a Dask cluster (optional dependency: ``dask[distributed]``).

Each file is one Dask task: a worker reads it (CSV / TSV / JSON Lines / one title per line, UTF-8 or GBK, the
formats of ``cbec-talent demand tag``), runs the same batch function as a single process -- ``tag_batch``
then ``figures_part`` on chunks of ``chunk_size`` postings -- and returns one small FiguresPart (counts and
salary midpoints, never the postings). The client merges the parts exactly (``merge_figures``), so the result
equals ``demand_figures(tag_batch(all postings))`` whatever the number of files, chunks or workers.

Paths must be readable by the workers (a shared file system, or the same machine). A worker builds the keyword
table once per distinct ``keyword_table_kwargs`` and keeps it. Split very large inputs into several files: a
file is read whole by one worker, and the files are what spreads the work.

On a real cluster::

    dask scheduler                           # on one machine; prints tcp://HOST:8786
    dask worker tcp://HOST:8786 --nworkers 4 --nthreads 1   # on each worker machine (same venv)

    from dask.distributed import Client
    figures = tag_files_dask(paths, {}, client=Client("tcp://HOST:8786"))
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from cbec_talent.engines.demand.aggregate import figures_part, merge_figures, merge_parts
from cbec_talent.engines.demand.cli import decode_bytes, read_postings
from cbec_talent.engines.demand.data import DemandFigures, FiguresPart, KeywordTable
from cbec_talent.engines.demand.table import build_keyword_table, load_keyword_table
from cbec_talent.engines.demand.tagger import tag_batch

CHUNK_SIZE = 2000
_TABLES: dict[str, KeywordTable] = {}


def keyword_table_from(kwargs: Mapping[str, Any]) -> KeywordTable:
    """``build_keyword_table(**kwargs)`` when kwargs hold ``keywords`` (an in-memory keywords document), else
    ``load_keyword_table(**kwargs)`` (keywords_path, reference_path; {} = the shipped reference framework).
    Cached per process, so each worker builds a table once."""
    key = json.dumps(kwargs, sort_keys=True, default=str, ensure_ascii=False)
    if key not in _TABLES:
        builder = build_keyword_table if "keywords" in kwargs else load_keyword_table
        _TABLES[key] = builder(**kwargs)
    return _TABLES[key]


def tag_file(path: str | Path, keyword_table_kwargs: Mapping[str, Any], chunk_size: int = CHUNK_SIZE) -> FiguresPart:
    """The batch function one worker runs for one file: tag_batch + figures_part on chunks, merged."""
    table = keyword_table_from(keyword_table_kwargs)
    postings = read_postings(decode_bytes(Path(path).read_bytes()), str(path))
    parts = [figures_part(tag_batch(postings[i : i + chunk_size], table)) for i in range(0, len(postings), chunk_size)]
    return merge_parts(parts)


def tag_files_dask(
    paths: Sequence[str | Path],
    keyword_table_kwargs: Mapping[str, Any],
    client=None,
    *,
    chunk_size: int = CHUNK_SIZE,
) -> DemandFigures:
    """Demand figures of all postings in ``paths``, one Dask task per file, merged on the client.

    ``client``: a ``dask.distributed.Client``; None uses the current default client, or starts a local
    cluster (one process per core) for this call and closes it afterwards. Raises ImportError when
    ``dask[distributed]`` is not installed.
    """
    from dask.distributed import Client, LocalCluster, get_client

    own = None
    if client is None:
        try:
            client = get_client()
        except ValueError:
            own = Client(LocalCluster(processes=True, threads_per_worker=1))
            client = own
    try:
        futures = client.map(
            tag_file,
            [str(p) for p in paths],
            keyword_table_kwargs=dict(keyword_table_kwargs),
            chunk_size=chunk_size,
            pure=False,
        )
        parts = client.gather(futures)
    finally:
        if own is not None:
            cluster = own.cluster
            own.close()
            cluster.close()
    return merge_figures(parts)
